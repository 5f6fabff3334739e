import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows';
import { login, request, startTestServer, type TestServer } from '../helpers/server';
import { hostileRaw, hostileValue } from './hostile';
import { fuzzSettings } from './settings';
import { webhookTargets, type WebhookTarget } from './webhook-targets';

/**
 * Every channel's webhook, fed payloads that pass its signature check but are hostile
 * inside. No 5xx; a payload the channel cannot read is kept as a failed ingest (never
 * retried forever, never a half-written conversation); the server stays up.
 */
const { seed, runs } = fuzzSettings('webhooks');

let t: TestServer;
const targets: { target: WebhookTarget; inboxId: string }[] = [];

beforeAll(async () => {
  t = await startTestServer({}, { channels: webhookTargets.flatMap((w) => w.channels) });
  const admin = await login(t.url);
  for (const target of webhookTargets) targets.push({ target, inboxId: await target.setUp(admin) });
}, 60_000);

afterAll(async () => {
  for (const { target } of targets) await target.tearDown?.();
  await t?.stop();
});

const orphanConversations = async () =>
  (
    await queryRows<{ n: number }>(
      t.server.database.db,
      sql`select count(*)::int as n from conversations c
          where not exists (select 1 from messages m where m.conversation_id = c.id)`,
    )
  )[0]!.n;

describe(`webhooks under signed hostile payloads (seed ${seed})`, () => {
  it('has a target for every channel kind with a webhook', () => {
    const withWebhooks = t.server.host
      .allDefinitions()
      .filter((d) => d.webhook)
      .map((d) => d.kind)
      .sort();
    expect(webhookTargets.map((w) => w.kind).sort()).toEqual(withWebhooks);
  });

  it('answers every signed payload without a 5xx and leaves no half-written conversation', async () => {
    const problems: string[] = [];
    for (const { target, inboxId } of targets) {
      for (const subPath of target.subPaths) {
        const body = fc.oneof(
          { weight: 2, arbitrary: target.shaped(hostileValue) },
          { weight: 1, arbitrary: hostileValue.map((v) => JSON.stringify(v) ?? 'null') },
          { weight: 1, arbitrary: hostileRaw },
        );
        await fc.assert(
          fc.asyncProperty(body, async (raw) => {
            const signed = target.sign(
              `${t.url}/webhooks/${target.provider}/${inboxId}/${subPath}`,
              raw,
            );
            const res = await request(
              t.url,
              'POST',
              `/webhooks/${target.provider}/${inboxId}/${subPath}`,
              {
                raw: signed.body,
                headers: signed.headers,
              },
            );
            if (res.status >= 500)
              problems.push(
                `${res.status} ${target.kind}/${subPath}: ${signed.body.slice(0, 200)}`,
              );
            return true;
          }),
          { seed, numRuns: runs * 4 },
        );
      }
    }
    expect(problems).toEqual([]);
    expect(await orphanConversations()).toBe(0);
    expect((await request(t.url, 'GET', '/healthz')).status).toBe(200);
  });
});
