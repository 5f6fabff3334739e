import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestStorage, type TestStorage } from '../helpers/database';
import {
  connect,
  connectVisitor,
  login,
  visitorSays,
  sleep,
  startTestServer,
  waitFor,
  webchatInboxId,
  type Recorder,
  type TestServer,
} from '../helpers/server';

// Two instances can only share a database server (PGlite is one process's own), so this runs
// in the PostgreSQL pass of the suite; Redis carries socket.io events between the instances.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.runIf(process.env.DATABASE_URL)('two instances behind a load balancer', () => {
  let storage: TestStorage;
  let a: TestServer;
  let b: TestServer;
  const sockets: Recorder[] = [];

  beforeAll(async () => {
    storage = await createTestStorage();
    [a, b] = await Promise.all([
      startTestServer({ REDIS_URL: redisUrl }, { storage }),
      startTestServer({ REDIS_URL: redisUrl }, { storage }),
    ]);
  });
  afterAll(async () => {
    for (const s of sockets) s.socket.disconnect();
    await a?.halt();
    await b?.stop();
  });

  it('shares one database, one admin and one visitor secret', async () => {
    const adminA = await login(a.url);
    const adminB = await login(b.url);
    expect((await adminA.get<{ user: { id: string } }>('/api/v1/auth/me')).body.user.id).toBe(
      (await adminB.get<{ user: { id: string } }>('/api/v1/auth/me')).body.user.id,
    );
    const { visitor, session } = await connectVisitor(a.url);
    const { visitor: again, session: sameVisitor } = await connectVisitor(b.url, {
      visitorToken: session.visitorToken,
    });
    sockets.push(visitor, again);
    expect(sameVisitor).toEqual(session);
  });

  it('pushes events across instances and sends each reply once', async () => {
    const admin = await login(a.url);
    const agent = await connect(a.url, '/agent', { token: admin.token });
    const { visitor } = await connectVisitor(b.url);
    sockets.push(agent, visitor);
    const ack = await visitorSays(visitor, 'hello from instance B');
    await agent.wait(
      'message.created',
      (p: { message: { id: string } }) => p.message.id === ack.id,
    );

    const reply = await admin.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${ack.conversationId}/messages`,
      { text: 'answer from instance A' },
    );
    await visitor.wait('message', (m: { id: string }) => m.id === reply.body.id);
    await sleep(1_000);
    expect(
      visitor.of<{ id: string }>('message').filter((m) => m.id === reply.body.id),
    ).toHaveLength(1);
  });

  it('never leaves a customer waiting on a bot that another instance just switched on', async () => {
    const admin = await login(a.url);
    const inbox = await webchatInboxId(admin);
    expect(
      (await admin.send('PATCH', `/api/v1/inboxes/${inbox}`, { botEnabled: true })).status,
    ).toBe(200);
    // At once, on the other instance: each conversation is the bot's (and the bot answers) or
    // people's (open), never the bot's without a turn.
    const visitors = await Promise.all([0, 1, 2].map(() => connectVisitor(b.url)));
    sockets.push(...visitors.map((v) => v.visitor));
    for (const { visitor } of visitors) {
      const ack = await visitorSays(visitor, 'hello');
      const conv = await admin.get<{ status: string }>(
        `/api/v1/conversations/${ack.conversationId}`,
      );
      if (conv.body.status === 'bot')
        await visitor.wait('message', (m: { direction: string }) => m.direction === 'out');
      else expect(conv.body.status).toBe('open');
    }
    // Once B has the change, its new conversations are the bot's, and answered.
    const answered = await waitFor(
      async () => {
        const { visitor } = await connectVisitor(b.url);
        sockets.push(visitor);
        const ack = await visitorSays(visitor, 'hello again');
        const conv = await admin.get<{ status: string }>(
          `/api/v1/conversations/${ack.conversationId}`,
        );
        if (conv.body.status !== 'bot') return false;
        await visitor.wait('message', (m: { direction: string }) => m.direction === 'out');
        return true;
      },
      (ok) => ok,
    );
    expect(answered).toBe(true);
    await admin.send('PATCH', `/api/v1/inboxes/${inbox}`, { botEnabled: false });
  });
});

describe.runIf(process.env.DATABASE_URL)('two instances on one clock', () => {
  const clock = new ManualClock(new Date());
  let storage: TestStorage;
  let a: TestServer;
  let b: TestServer;
  let agent: Recorder;

  beforeAll(async () => {
    storage = await createTestStorage();
    [a, b] = await Promise.all([
      startTestServer({ REDIS_URL: redisUrl }, { storage, clock }),
      startTestServer({ REDIS_URL: redisUrl }, { storage, clock }),
    ]);
  });
  afterAll(async () => {
    agent?.socket.disconnect();
    await a?.halt();
    await b?.stop();
  });

  it('fires each SLA timer exactly once', async () => {
    const admin = await login(a.url);
    const policy = await admin.send('POST', '/api/v1/sla-policies', {
      name: 'Everyone',
      firstResponseMinutes: 10,
      warningPercent: 50,
    });
    expect(policy.status).toBe(201);
    agent = await connect(b.url, '/agent', { token: admin.token });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { visitor } = await connectVisitor(i % 2 ? a.url : b.url);
      ids.push((await visitorSays(visitor, `timer ${i}`)).conversationId);
      visitor.socket.disconnect();
    }
    // Both instances' workers race for the same due timers.
    clock.advance(11 * 60_000);
    for (let k = 0; k < 5; k++) {
      a.server.worker.kick();
      b.server.worker.kick();
      await sleep(100);
    }
    const fired = (name: string) =>
      agent
        .of<{ conversation: { id: string }; target: string }>(name)
        .filter((p) => ids.includes(p.conversation.id));
    await waitFor(
      () => fired('sla.breached'),
      (x) => x.length >= ids.length,
      20_000,
    );
    await sleep(1_500);
    for (const name of ['sla.warning', 'sla.breached']) {
      const seen = fired(name).map((p) => p.conversation.id);
      expect(seen.sort(), name).toEqual([...ids].sort());
    }
  });
});
