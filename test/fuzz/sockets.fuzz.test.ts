import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows';
import {
  connect,
  connectVisitor,
  login,
  newVisitorWrites,
  request,
  startTestServer,
  type Recorder,
  type TestServer,
} from '../helpers/server';
import { hostileString, hostileValue } from './hostile';
import { fuzzSettings } from './settings';

/**
 * Hostile frames on every event of both socket namespaces (and on events that do not exist),
 * with and without acknowledgements, and hostile handshakes. An acknowledgement is `{ok…}`,
 * `{id}` or `{error:{code,message}}`; a refused frame writes nothing; the server stays up.
 */
const { seed, runs } = fuzzSettings('sockets');

let t: TestServer;
let agent: Recorder;
let visitor: Recorder;
let conversationId: string;

const rowCount = async () =>
  (
    await queryRows<{ n: number }>(
      t.server.database.db,
      sql`select (select count(*) from messages) + (select count(*) from contacts) + (select count(*) from conversations) as n`,
    )
  )[0]!.n;

function ackOf(socket: Recorder['socket'], event: string, payload: unknown): Promise<unknown> {
  return socket
    .timeout(3_000)
    .emitWithAck(event, payload)
    .catch(() => 'no ack');
}

beforeAll(async () => {
  t = await startTestServer();
  const admin = await login(t.url);
  agent = await connect(t.url, '/agent', { token: admin.token });
  conversationId = await newVisitorWrites(t.url, 'aim here');
  ({ visitor } = await connectVisitor(t.url));
}, 60_000);

afterAll(async () => {
  agent?.socket.disconnect();
  visitor?.socket.disconnect();
  await t?.stop();
});

const shaped = (fields: string[]) =>
  fc.oneof(
    hostileValue,
    fc
      .tuple(
        fc.subarray(fields),
        fc.array(hostileValue, { minLength: fields.length, maxLength: fields.length }),
      )
      .map(([names, values]) => Object.fromEntries(names.map((n, i) => [n, values[i]]))),
    fc.constant({ conversationId: '' }).map((p) => ({ ...p, conversationId })),
  );

describe(`socket namespaces under hostile frames (seed ${seed})`, () => {
  it.each([
    ['conversation.view', ['conversationId']],
    ['conversation.leave', ['conversationId']],
    ['typing', ['conversationId', 'typing', 'private']],
    ['message.send', ['conversationId', 'text', 'private']],
    ['no.such.event', ['x']],
  ])('/agent %s answers with ok or an error, never crashes', async (event, fields) => {
    await fc.assert(
      fc.asyncProperty(shaped(fields), async (payload) => {
        const before = await rowCount();
        const ack = await ackOf(agent.socket, event, payload);
        if (typeof ack !== 'object' || ack === null) return false;
        if ('error' in ack) {
          expect(ack).toMatchObject({
            error: { code: expect.any(String), message: expect.any(String) },
          });
          expect(await rowCount()).toBe(before);
          return true;
        }
        return 'ok' in ack;
      }),
      { seed, numRuns: runs * 3 },
    );
  });

  it.each([
    ['message', ['text', 'clientId']],
    ['contact', ['name', 'email']],
    ['typing', ['typing']],
    ['no.such.event', ['x']],
  ])('/webchat %s answers with its result or an error, never crashes', async (event, fields) => {
    await fc.assert(
      fc.asyncProperty(shaped(fields), async (payload) => {
        const before = await rowCount();
        if (event === 'typing') {
          visitor.socket.emit(event, payload);
          return true;
        }
        const ack = await ackOf(visitor.socket, event, payload);
        if (typeof ack !== 'object' || ack === null) return false;
        if ('error' in ack) {
          expect(ack).toMatchObject({
            error: { code: expect.any(String), message: expect.any(String) },
          });
          expect(await rowCount()).toBe(before);
          return true;
        }
        return 'id' in ack || 'ok' in ack;
      }),
      // The visitor may send 30 messages in 10 s; beyond that the refusal is itself correct.
      { seed, numRuns: Math.min(runs * 3, 25) },
    );
  });

  it('refuses or starts a fresh session for hostile handshakes, and stores nothing for them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ token: fc.oneof(hostileString, hostileValue) }),
        fc.record({ visitorToken: fc.oneof(hostileString, hostileValue), inboxId: hostileValue }),
        async (agentAuth, visitorAuth) => {
          const before = await rowCount();
          for (const [nsp, auth] of [
            ['/agent', agentAuth],
            ['/webchat', visitorAuth],
          ] as const) {
            const socket = io(`${t.url}${nsp}`, {
              auth,
              transports: ['websocket'],
              reconnection: false,
              forceNew: true,
            });
            const outcome = await new Promise<string>((resolve) => {
              socket.once('connect', () => resolve('connected'));
              socket.once('connect_error', (err) => resolve(err.message));
            });
            socket.disconnect();
            if (nsp === '/agent') expect(outcome).toBe('unauthorized');
            else expect(['connected', 'unknown inbox']).toContain(outcome);
          }
          expect(await rowCount()).toBe(before);
          return true;
        },
      ),
      { seed, numRuns: runs * 2 },
    );
  });

  it('is still up, and the agent and visitor sockets still work', async () => {
    expect((await request(t.url, 'GET', '/healthz')).status).toBe(200);
    const ack = (await agent.socket.emitWithAck('conversation.view', { conversationId })) as {
      ok?: boolean;
    };
    expect(ack.ok).toBe(true);
  });
});
