import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { ParsedEvent } from '../../channels/types';
import { inboxes, messages } from '../../src/db/schema';
import { createTestStorage, type TestStorage } from '../helpers/database';
import { login, startTestServer, type TestServer, waitFor } from '../helpers/server';
import { ScriptedProvider, scriptedChannel } from '../helpers/scripted-channel';

// Several instances can only share a database server (PGlite is one process's own), so this
// runs in the PostgreSQL pass of the suite.
const env = { RECEIVER_LEASE_SECONDS: '2', RECEIVER_TICK_SECONDS: '0.3', JOB_LEASE_SECONDS: '2' };

const batch = (from: number, n: number): ParsedEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    type: 'message' as const,
    message: {
      sender: { kind: 'phone' as const, value: `+1555700${String(from + i).padStart(4, '0')}` },
      providerMessageId: `poll-${from + i}`,
      text: `polled ${from + i}`,
      attachments: [],
    },
  }));

describe.runIf(process.env.DATABASE_URL)('several instances on one database', () => {
  let storage: TestStorage;
  const provider = new ScriptedProvider();
  const ran: { event: string; by: string; conversationId: string }[] = [];
  const servers: Record<'a' | 'b', TestServer | undefined> = { a: undefined, b: undefined };

  const start = (id: 'a' | 'b') =>
    startTestServer(env, {
      storage,
      channels: [scriptedChannel('sms', provider, { receiver: { instanceId: id } })],
      listeners: [
        (durable) =>
          durable.on('message.received', 'counter', async (data) => {
            ran.push({ event: 'message.received', by: id, conversationId: data.conversationId });
          }),
      ],
    });

  beforeAll(async () => {
    storage = await createTestStorage();
    servers.a = await start('a');
    servers.b = await start('b');
    const admin = await login(servers.a.url);
    const res = await admin.send('POST', '/api/v1/inboxes', { name: 'Polled', channel: 'sms' });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await servers.a?.halt();
    await servers.b?.stop();
  });

  const stored = async () =>
    (
      await servers
        .b!.server.database.db.select({ n: sql<number>`count(*)::int` })
        .from(messages)
        .where(sql`${messages.providerMessageId} like 'poll-%'`)
    )[0]!.n;

  it('runs an inbox’s receiver in exactly one instance', async () => {
    provider.queue.push(batch(0, 5), batch(5, 5));
    await waitFor(stored, (n) => n === 10);
    expect(await stored()).toBe(10);
    expect(new Set(provider.polledBy).size).toBe(1);
    const held = [servers.a!, servers.b!].map((s) => s.server.receivers.held().length);
    expect(held.sort()).toEqual([0, 1]);
  });

  it('hands a durable event to each listener once, across instances', async () => {
    await waitFor(
      () => ran.length,
      (n) => n >= 10,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(ran).toHaveLength(10);
    expect(new Set(ran.map((r) => r.conversationId)).size).toBe(10);
  });

  it('moves the receiver to the other instance when its holder dies, losing and doubling nothing', async () => {
    const holderId = provider.polledBy[0] as 'a' | 'b';
    const other: 'a' | 'b' = holderId === 'a' ? 'b' : 'a';
    // The holder dies without giving its lease up: the other waits for the lease to expire.
    await servers[holderId]!.server.receivers.stop({ release: false });
    const died = Date.now();
    provider.queue.push(batch(10, 5));
    await waitFor(stored, (n) => n === 15);
    expect(await stored()).toBe(15);
    expect(Date.now() - died).toBeGreaterThan(1_000);
    await servers[holderId]!.halt();
    servers[holderId] = undefined;
    expect(provider.polledBy.at(-1)).toBe(other);
    // The cursor saved with each batch carried on where the first instance left it.
    const [row] = await servers[other]!.server.database.db.select()
      .from(inboxes)
      .where(eq(inboxes.name, 'Polled'));
    expect(row!.channelState).toEqual({ seen: 15 });
  });
});
