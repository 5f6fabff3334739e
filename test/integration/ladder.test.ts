import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock';
import { createTestStorage, type TestStorage } from '../helpers/database';
import {
  connect,
  connectVisitor,
  login,
  request,
  startTestServer,
  visitorSays,
  waitFor,
  type Api,
  type Recorder,
  type TestServer,
} from '../helpers/server';

interface Conv {
  id: string;
  status: string;
  level: number;
  slaState: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  csat: number | null;
  complaint: { reference: string; level: number; status: string; legalFlag: boolean } | null;
}
interface Complaint {
  id: string;
  reference: string;
  level: number;
  status: string;
  legalFlag: boolean;
  csat: number | null;
  timeline: { fromLevel: number; toLevel: number; actorType: string; reason: string }[];
}

const MIN = 60_000;

/**
 * One complaint walks the whole ladder on a clock the test moves: the level-1 SLA is missed
 * (supervisor, level 2), the server restarts, the level-2 SLA is missed (head office, level 3),
 * the agent resolves, the customer is asked on web chat and says it is not solved (level 4).
 */
describe('the complaint ladder, enforced by the clock', () => {
  const clock = new ManualClock(new Date());
  let storage: TestStorage;
  let app: TestServer;
  let admin: Api;
  let supervisor: Recorder;
  let visitor: Recorder;
  let conversationId: string;
  let reference: string;

  const start = async () => {
    app = await startTestServer({}, { storage, clock });
    admin = await login(app.url);
    supervisor = await connect(app.url, '/agent', { token: admin.token });
  };
  /** Moves the clock and lets the worker run what became due. */
  const advance = async (ms: number) => {
    clock.advance(ms);
    app.server.worker.kick();
  };
  const conversation = async () =>
    (await admin.get<Conv>(`/api/v1/conversations/${conversationId}`)).body;
  const complaint = async () =>
    (await admin.get<Complaint>(`/api/v1/conversations/${conversationId}/complaint`)).body;

  beforeAll(async () => {
    storage = await createTestStorage();
    await start();
    const policy = await admin.send('POST', '/api/v1/sla-policies', {
      name: 'Complaints',
      appliesTo: { complaint: true },
      firstResponseMinutes: 30,
      resolutionMinutes: 240,
      levelTargets: { '2': { resolutionMinutes: 60 }, '3': { resolutionMinutes: 120 } },
      warningPercent: 80,
    });
    expect(policy.status).toBe(201);
  });
  afterAll(async () => {
    supervisor?.socket.disconnect();
    visitor?.socket.disconnect();
    await app?.stop();
  });

  it('opens a complaint with a reference the customer can quote, at level 1 with SLA due times', async () => {
    ({ visitor } = await connectVisitor(app.url));
    ({ conversationId } = await visitorSays(visitor, 'The blender I ordered arrived broken.'));
    const opened = await admin.send<Complaint>(
      'POST',
      `/api/v1/conversations/${conversationId}/complaint`,
      { category: 'product', description: 'Arrived broken', desiredOutcome: 'A new one' },
    );
    expect(opened.status).toBe(201);
    expect(opened.body.level).toBe(1);
    expect(opened.body.reference).toMatch(/^C-\d{2}-\d{4}$/);
    reference = opened.body.reference;

    const conv = await waitFor(conversation, (c) => c.firstResponseDueAt !== null);
    expect(conv.complaint?.reference).toBe(reference);
    expect(conv.slaState).toBe('ok');
    // 30 open minutes from the customer's message (always open: no calendar on this policy).
    const due = new Date(conv.firstResponseDueAt!).getTime();
    expect(due - clock.now().getTime()).toBeGreaterThan(29 * MIN);
    expect(due - clock.now().getTime()).toBeLessThan(31 * MIN);
  });

  it('warns at 80 % and, when the first response is missed, moves it to the supervisor (level 2)', async () => {
    await advance(25 * MIN);
    await supervisor.wait(
      'sla.warning',
      (p: { conversation: { id: string }; target: string }) =>
        p.conversation.id === conversationId && p.target === 'firstResponse',
    );
    expect((await conversation()).slaState).toBe('warning');

    await advance(6 * MIN);
    await supervisor.wait(
      'sla.breached',
      (p: { conversation: { id: string }; target: string }) =>
        p.conversation.id === conversationId && p.target === 'firstResponse',
    );
    const escalated = await supervisor.wait<{ conversation: { id: string }; level: number }>(
      'conversation.escalated',
      (p) => p.conversation.id === conversationId && p.level === 2,
    );
    expect(escalated.level).toBe(2);
    const k = await waitFor(complaint, (c) => c.level === 2);
    expect(k.timeline.at(-1)).toMatchObject({ fromLevel: 1, toLevel: 2, actorType: 'rule' });
    expect(k.timeline.at(-1)!.reason).toMatch(/level-1 SLA/);
    // Each fires once.
    expect(
      supervisor
        .of<{ conversation: { id: string }; target: string }>('sla.breached')
        .filter((p) => p.conversation.id === conversationId && p.target === 'firstResponse'),
    ).toHaveLength(1);
  });

  it('keeps its timers across a restart: the level-2 SLA missed moves it to head office (level 3)', async () => {
    // The level-2 resolution target (60 minutes from the complaint) is re-timed on the ladder.
    const before = await waitFor(conversation, (c) => c.resolutionDueAt !== null && c.level === 2);
    supervisor.socket.disconnect();
    await app.halt();
    await start();
    const dueIn = new Date(before.resolutionDueAt!).getTime() - clock.now().getTime();
    await advance(dueIn + MIN);
    await supervisor.wait(
      'conversation.escalated',
      (p: { conversation: { id: string }; level: number }) =>
        p.conversation.id === conversationId && p.level === 3,
      10_000,
    );
    const k = await complaint();
    expect(k.level).toBe(3);
    expect(k.timeline.map((t) => t.toLevel)).toEqual([1, 2, 3]);
  });

  it('asks the customer on web chat when resolved; "no" reopens it one level up (level 4)', async () => {
    ({ visitor } = await connectVisitor(app.url, {
      visitorToken: (await visitor.wait<{ visitorToken: string }>('session')).visitorToken,
    }));
    const reply = await admin.send('POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: 'We are sending a replacement today.',
    });
    expect(reply.status).toBe(201);
    await admin.send('PATCH', `/api/v1/conversations/${conversationId}`, { status: 'resolved' });
    const question = await visitor.wait<{ text: string; direction: string }>(
      'message',
      (m) => /Is your problem solved/.test(m.text),
      10_000,
    );
    expect(question.direction).toBe('out');
    expect((await complaint()).status).toBe('resolved');

    await visitorSays(visitor, 'no', conversationId);
    await supervisor.wait(
      'conversation.escalated',
      (p: { conversation: { id: string }; level: number }) =>
        p.conversation.id === conversationId && p.level === 4,
      10_000,
    );
    const k = await complaint();
    expect(k.level).toBe(4);
    expect(k.status).toBe('reopened');
    expect((await conversation()).status).toBe('open');
    await visitor.wait('message', (m: { text: string }) =>
      /passed it to a supervisor/.test(m.text),
    );
  });

  it('stores a rating on the conversation and the complaint', async () => {
    await admin.send('PATCH', `/api/v1/conversations/${conversationId}`, { status: 'resolved' });
    await visitor.wait(
      'message',
      (m: { text: string; id: string }) => /Is your problem solved/.test(m.text),
      10_000,
    );
    // Only the second question counts: wait until it is asked again.
    await waitFor(
      () =>
        visitor.of<{ text: string }>('message').filter((m) => /Is your problem solved/.test(m.text))
          .length,
      (n) => n >= 2,
    );
    await visitorSays(visitor, 'yes 4', conversationId);
    const conv = await waitFor(conversation, (c) => c.csat !== null);
    expect(conv.csat).toBe(4);
    expect(conv.status).toBe('resolved');
    expect((await complaint()).csat).toBe(4);
  });

  it('a legal threat goes to level 4 at once with the legal flag, in Persian as in English', async () => {
    for (const text of [
      'If this is not fixed I will take you to court.',
      'اگر پول مرا برنگردانید از شما به تعزیرات شکایت می‌کنم',
      'Я обращусь в Роспотребнадзор и в суд',
    ]) {
      const { visitor: v } = await connectVisitor(app.url);
      const { conversationId: id } = await visitorSays(v, text);
      v.socket.disconnect();
      const conv = await waitFor(
        async () => (await admin.get<Conv>(`/api/v1/conversations/${id}`)).body,
        (c) => c.complaint?.legalFlag === true && c.level === 4,
      );
      expect(conv.level).toBe(4);
      expect(conv.complaint?.legalFlag).toBe(true);
    }
    // An ordinary word that merely contains a stem does not.
    const { visitor: v } = await connectVisitor(app.url);
    const { conversationId: id } = await visitorSays(v, 'The courtyard gate code does not work');
    v.socket.disconnect();
    await new Promise((r) => setTimeout(r, 1500));
    expect((await admin.get<Conv>(`/api/v1/conversations/${id}`)).body.level).toBe(0);
  });

  it('answers CONTRACT complaint listing by minimum level', async () => {
    const list = await admin.get<{ items: { reference: string; level: number }[] }>(
      '/api/v1/complaints?level=4',
    );
    expect(list.status).toBe(200);
    expect(list.body.items.every((k) => k.level >= 4)).toBe(true);
    expect(list.body.items.map((k) => k.reference)).toContain(reference);
    const bad = await request(app.url, 'GET', '/api/v1/complaints?level=9', { token: admin.token });
    expect(bad.status).toBe(400);
  });
});
