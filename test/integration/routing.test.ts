import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import {
  connect,
  createAgent,
  login,
  newVisitorWrites,
  startTestServer,
  waitFor,
  webchatInboxId,
  type Api,
  type Recorder,
  type TestServer,
} from '../helpers/server';

interface Conv {
  id: string;
  status: string;
  assignee: { id: string } | null;
}

/**
 * Round robin in a web-chat inbox: conversations go to online, available agents under their
 * capacity, the one whose last assignment is oldest first; the queue waits when everybody is
 * full; an agent who stays offline past the inbox's setting gives their conversations back.
 */
describe('routing', () => {
  const clock = new ManualClock(new Date());
  let t: TestServer;
  let admin: Api;
  let inboxId: string;
  let ana: Api & { id: string };
  let boris: Api & { id: string };
  let anaSocket: Recorder;
  let borisSocket: Recorder;

  const conv = async (id: string) => (await admin.get<Conv>(`/api/v1/conversations/${id}`)).body;

  beforeAll(async () => {
    t = await startTestServer({}, { clock });
    admin = await login(t.url);
    inboxId = await webchatInboxId(admin);
    ana = await createAgent(t.url, admin, 'Ana', [inboxId]);
    boris = await createAgent(t.url, admin, 'Boris', [inboxId]);
    for (const [agent, capacity] of [
      [ana, 2],
      [boris, 1],
    ] as const) {
      const res = await admin.send('PATCH', `/api/v1/users/${agent.id}`, { capacity });
      expect(res.status).toBe(200);
    }
    const inbox = await admin.send<{ routing: string; offlineReturnMinutes: number }>(
      'PATCH',
      `/api/v1/inboxes/${inboxId}`,
      { routing: 'round_robin', offlineReturnMinutes: 10 },
    );
    expect(inbox.status).toBe(200);
    expect(inbox.body).toMatchObject({ routing: 'round_robin', offlineReturnMinutes: 10 });
  });

  afterAll(async () => {
    anaSocket?.socket.disconnect();
    borisSocket?.socket.disconnect();
    await t?.stop();
  });

  it('leaves conversations in the queue while nobody is online', async () => {
    const id = await newVisitorWrites(t.url, 'is anyone there?');
    await t.server.worker.kick();
    // Give routing the time it would take; it must not assign anyone offline.
    const c = await waitFor(
      () => conv(id),
      () => false,
      1_000,
    );
    expect(c.assignee).toBeNull();
  });

  it('hands the queue out when agents come online, in turn, never over capacity', async () => {
    anaSocket = await connect(t.url, '/agent', { token: ana.token });
    borisSocket = await connect(t.url, '/agent', { token: boris.token });
    const ids = [
      await newVisitorWrites(t.url, 'first'),
      await newVisitorWrites(t.url, 'second'),
      await newVisitorWrites(t.url, 'third'),
      await newVisitorWrites(t.url, 'fourth'),
    ];
    const list = await waitFor(
      async () =>
        (await admin.get<{ items: Conv[] }>(`/api/v1/conversations?view=all&inboxId=${inboxId}`))
          .body.items,
      (items) => items.filter((c) => c.assignee).length >= 3,
    );
    const count = (who: string) => list.filter((c) => c.assignee?.id === who).length;
    expect(count(ana.id)).toBe(2);
    expect(count(boris.id)).toBe(1);
    // Five conversations, room for three: two wait.
    expect(list.filter((c) => !c.assignee)).toHaveLength(2);
    expect(ids.length + 1).toBe(list.length);
  });

  it('gives the next waiting conversation to an agent who resolves one', async () => {
    const mine = (
      await boris.get<{ items: Conv[] }>(`/api/v1/conversations?view=mine`)
    ).body.items.find((c) => c.assignee?.id === boris.id)!;
    expect(mine).toBeDefined();
    await boris.send('PATCH', `/api/v1/conversations/${mine.id}`, { status: 'resolved' });
    const after = await waitFor(
      async () =>
        (await boris.get<{ items: Conv[] }>(`/api/v1/conversations?view=mine`)).body.items.filter(
          (c) => c.status === 'open',
        ),
      (items) => items.length === 1,
    );
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(mine.id);
  });

  it('skips an agent who switched themselves to away', async () => {
    const off = await ana.send<{ available: boolean }>('PATCH', '/api/v1/auth/me', {
      available: false,
    });
    expect(off.status).toBe(200);
    const resolved = (
      await ana.get<{ items: Conv[] }>(`/api/v1/conversations?view=mine`)
    ).body.items.find((c) => c.status === 'open')!;
    await ana.send('PATCH', `/api/v1/conversations/${resolved.id}`, { status: 'resolved' });
    const c = await waitFor(
      async () =>
        (await ana.get<{ items: Conv[] }>(`/api/v1/conversations?view=mine`)).body.items.filter(
          (x) => x.status === 'open',
        ),
      () => false,
      1_000,
    );
    expect(c).toHaveLength(1);
    await ana.send('PATCH', '/api/v1/auth/me', { available: true });
    await waitFor(
      async () =>
        (await ana.get<{ items: Conv[] }>(`/api/v1/conversations?view=mine`)).body.items.filter(
          (x) => x.status === 'open',
        ),
      (x) => x.length === 2,
    );
  });

  it("returns an offline agent's conversations to the queue after the inbox's wait", async () => {
    const borisOpen = (
      await boris.get<{ items: Conv[] }>(`/api/v1/conversations?view=mine`)
    ).body.items.filter((c) => c.status === 'open');
    expect(borisOpen).toHaveLength(1);
    borisSocket.socket.disconnect();
    // Nine minutes away: still his.
    await waitFor(
      async () =>
        (
          await admin.get<{ items: { id: string; online: boolean }[] }>('/api/v1/users')
        ).body.items.find((u) => u.id === boris.id),
      (u) => u?.online === false,
    );
    clock.advance(9 * 60_000);
    await t.server.worker.kick();
    expect((await conv(borisOpen[0]!.id)).assignee?.id).toBe(boris.id);
    // Past ten minutes: back in the queue, and Ana (online, with room after she gets one
    // resolved) takes it.
    const anaOpen = (
      await ana.get<{ items: Conv[] }>(`/api/v1/conversations?view=mine`)
    ).body.items.filter((c) => c.status === 'open');
    await ana.send('PATCH', `/api/v1/conversations/${anaOpen[0]!.id}`, { status: 'resolved' });
    clock.advance(2 * 60_000);
    await t.server.worker.kick();
    const moved = await waitFor(
      () => conv(borisOpen[0]!.id),
      (c) => c.assignee?.id === ana.id,
    );
    expect(moved.assignee?.id).toBe(ana.id);
  });

  it('assigns nothing in a manual inbox', async () => {
    await admin.send('PATCH', `/api/v1/inboxes/${inboxId}`, { routing: 'manual' });
    const id = await newVisitorWrites(t.url, 'manual please');
    const c = await waitFor(
      () => conv(id),
      () => false,
      1_000,
    );
    expect(c.assignee).toBeNull();
  });
});
