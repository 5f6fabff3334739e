import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows';
import { verifySignature } from '../../src/webhooks/signature';
import type { Resolver } from '../../src/net/safe-http';
import {
  login,
  newVisitorWrites,
  startTestServer,
  waitFor,
  type Api,
  type TestServer,
} from '../helpers/server';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}
interface Webhook {
  id: string;
  secret?: string;
  lastDelivery: { state: string; attempts: number; lastStatus: number | null } | null;
}
interface Delivery {
  id: string;
  event: string;
  state: string;
  attempts: number;
  lastStatus: number | null;
  lastResponse: string | null;
}

/** Names that stand for outside hosts; nothing is ever looked up for real. */
const resolve: Resolver = async (host) => {
  if (host === 'hooks.example.test') return [{ address: '10.1.2.3', family: 4 }];
  if (host === 'public.example.test') return [{ address: '93.184.216.34', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

describe('outgoing webhooks', () => {
  let t: TestServer;
  let admin: Api;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  /** The receiver fails this many times before it answers 200. */
  let failures = 1;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (failures > 0) {
          failures--;
          res.writeHead(503, { 'content-type': 'text/plain' }).end('busy, try later');
        } else res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    t = await startTestServer({}, { resolve });
    admin = await login(t.url);
  });

  afterAll(async () => {
    await t?.stop();
    await new Promise((r) => receiver.close(r));
  });

  it('refuses private and unresolvable addresses unless an admin allows private ones', async () => {
    for (const url of [
      receiverUrl,
      'http://hooks.example.test/in',
      'http://nowhere.invalid/in',
      'http://[::1]:9/in',
      'ftp://public.example.test/in',
    ]) {
      const res = await admin.send<{ error: { code: string; message: string } }>(
        'POST',
        '/api/v1/webhooks',
        { name: 'Refused', url, events: ['message.received'] },
      );
      expect(res.status, url).toBe(400);
      expect(res.body.error.message).toMatch(/^url: /);
    }
    expect((await admin.get<{ items: unknown[] }>('/api/v1/webhooks')).body.items).toHaveLength(0);
  });

  it('signs each delivery, retries a failing receiver with backoff and keeps its answer', async () => {
    const created = await admin.send<Webhook>('POST', '/api/v1/webhooks', {
      name: 'CRM sync',
      url: receiverUrl,
      events: ['message.received'],
      allowPrivate: true,
    });
    expect(created.status).toBe(201);
    const secret = created.body.secret!;
    expect(secret).toMatch(/^whsec_/);
    // The secret is shown once: never in a list.
    const listed = await admin.get<{ items: Webhook[] }>('/api/v1/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const conversationId = await newVisitorWrites(t.url, 'where is my parcel?');
    const deliveries = await waitFor(
      async () =>
        (await admin.get<{ items: Delivery[] }>(`/api/v1/webhooks/${created.body.id}/deliveries`))
          .body.items,
      (items) => items[0]?.state === 'delivered',
      20_000,
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      event: 'message.received',
      state: 'delivered',
      attempts: 2,
      lastStatus: 200,
      lastResponse: 'thanks',
    });

    // Two attempts, the same delivery, both signed with the subscription's secret.
    expect(received).toHaveLength(2);
    for (const r of received) {
      expect(r.headers['x-switchboard-event']).toBe('message.received');
      expect(r.headers['x-switchboard-delivery']).toBe(deliveries[0]!.id);
      const header = String(r.headers['x-switchboard-signature']);
      expect(verifySignature(secret, r.body, header, new Date())).toBe(true);
      expect(verifySignature('whsec_wrong', r.body, header, new Date())).toBe(false);
      expect(verifySignature(secret, r.body.replace('parcel', 'parcels'), header, new Date())).toBe(
        false,
      );
    }
    const payload = JSON.parse(received[1]!.body) as {
      event: string;
      data: { conversation: { id: string }; message: { text: string } };
    };
    expect(payload.event).toBe('message.received');
    expect(payload.data.conversation.id).toBe(conversationId);
    expect(payload.data.message.text).toBe('where is my parcel?');
  });

  it('keeps the secret out of the audit trail and the list', async () => {
    const rows = await queryRows<{ action: string; data: unknown }>(
      t.server.database.db,
      sql`select action, data from audit_log where entity = 'webhook'`,
    );
    expect(rows.map((r) => r.action)).toContain('create');
    expect(JSON.stringify(rows)).not.toMatch(/whsec_/);
    const stored = await queryRows<{ secret: string }>(
      t.server.database.db,
      sql`select secret from webhook_subscriptions`,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.secret).not.toMatch(/whsec_/);
  });
});
