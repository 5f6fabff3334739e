import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorage, type TestStorage } from '../helpers/database';
import {
  connect,
  connectVisitor,
  visitorSays,
  createAgent,
  login,
  sleep,
  spawnServer,
  webchatInboxId,
  type Api,
  type Recorder,
  type ServerProcess,
  type VisitorSession,
} from '../helpers/server';

interface Created {
  conversationId: string;
  message: { id: string; text: string; private: boolean; direction: string };
}
interface VisitorMessage {
  id: string;
  text: string;
  direction: 'in' | 'out';
  createdAt: string;
}

let storage: TestStorage;
let proc: ServerProcess;
let admin: Api;
let allowed: Api & { id: string };
let outsider: Api & { id: string };
let allowedSocket: Recorder;
let outsiderSocket: Recorder;
let visitor: Recorder;
let session: VisitorSession;
const sockets: Recorder[] = [];

beforeAll(async () => {
  storage = await createTestStorage();
  proc = await spawnServer(storage);
  admin = await login(proc.url);
  const inboxId = await webchatInboxId(admin);
  const other = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
    name: 'Partner site',
    channel: 'webchat',
  });
  allowed = await createAgent(proc.url, admin, 'Allowed', [inboxId]);
  outsider = await createAgent(proc.url, admin, 'Outsider', [other.body.id]);
  allowedSocket = await connect(proc.url, '/agent', { token: allowed.token });
  outsiderSocket = await connect(proc.url, '/agent', { token: outsider.token });
  ({ visitor, session } = await connectVisitor(proc.url));
  sockets.push(allowedSocket, outsiderSocket, visitor);
}, 90_000);

afterAll(async () => {
  for (const s of sockets) s.socket.disconnect();
  await proc?.stop();
  await storage?.cleanup();
});

describe('the real server process', () => {
  it('serves the demo page', async () => {
    const res = await fetch(`${proc.url}/demo`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<script src="/widget.js"');
  });

  it('gives a new visitor a signed token, and no conversation before they write', () => {
    expect(session.visitorToken).toMatch(/^v1\.[0-9a-f-]{36}\.[\w-]+$/);
    expect(session.conversationId).toBeNull();
  });

  it('pushes a visitor message live to an agent of that inbox, and not to others', async () => {
    const ack = await visitorSays(visitor, 'Привет! Where is my parcel?');
    expect(ack.id).toMatch(/^[0-9a-f-]{36}$/);
    // The first message opens the conversation and the widget is told its id.
    session = { ...session, conversationId: ack.conversationId };
    expect(session.conversationId).toMatch(/^[0-9a-f-]{36}$/);
    const created = await allowedSocket.wait<Created>(
      'message.created',
      (p) => p.message.id === ack.id,
    );
    expect(created).toMatchObject({
      conversationId: session.conversationId,
      message: { text: 'Привет! Where is my parcel?', direction: 'in', private: false },
    });
    await allowedSocket.wait(
      'conversation.created',
      (p: { conversation: { id: string } }) => p.conversation.id === session.conversationId,
    );
    await sleep(300);
    expect(outsiderSocket.of('message.created')).toEqual([]);
    expect(outsiderSocket.of('conversation.created')).toEqual([]);
  });

  it('delivers an agent reply over the socket to the widget live', async () => {
    const ack = (await allowedSocket.socket.emitWithAck('message.send', {
      conversationId: session.conversationId,
      text: 'It ships today 📦',
    })) as { ok: boolean; message: { id: string } };
    expect(ack.ok).toBe(true);
    const shown = await visitor.wait<VisitorMessage>('message', (m) => m.id === ack.message.id);
    expect(shown).toMatchObject({ text: 'It ships today 📦', direction: 'out' });
    await allowedSocket.wait('message.updated', (p: Created) => p.message.id === ack.message.id);
  });

  it('delivers a REST reply to the widget, but never a private note', async () => {
    const note = await allowed.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${session.conversationId}/messages`,
      { text: 'VIP — be generous', private: true },
    );
    const reply = await allowed.send<{ id: string }>(
      'POST',
      `/api/v1/conversations/${session.conversationId}/messages`,
      { text: 'Anything else?' },
    );
    expect(note.status).toBe(201);
    await visitor.wait<VisitorMessage>('message', (m) => m.id === reply.body.id);
    await sleep(300);
    const seen = visitor.of<VisitorMessage>('message');
    expect(seen.map((m) => m.id)).not.toContain(note.body.id);
    expect(seen.map((m) => m.text)).not.toContain('VIP — be generous');
    // The agent does see the note, marked private.
    await allowedSocket.wait<Created>(
      'message.created',
      (p) => p.message.id === note.body.id && p.message.private,
    );
  });

  it('shows the customer typing to agents of that inbox only', async () => {
    visitor.socket.emit('typing', { typing: true });
    const seen = await allowedSocket.wait<{
      conversationId: string;
      actor: { type: string; name: string };
      typing: boolean;
    }>('typing', (p) => p.conversationId === session.conversationId && p.typing);
    expect(seen.actor).toMatchObject({ type: 'contact', name: expect.stringMatching(/^Visitor /) });
    await sleep(300);
    expect(outsiderSocket.of('typing')).toEqual([]);
  });

  it('refuses an outsider agent, over REST and over the socket', async () => {
    expect((await outsider.get(`/api/v1/conversations/${session.conversationId}`)).status).toBe(
      404,
    );
    const ack = (await outsiderSocket.socket.emitWithAck('message.send', {
      conversationId: session.conversationId,
      text: 'hi',
    })) as { error: { code: string } };
    expect(ack.error.code).toBe('not_found');
  });

  it('answers a socket event of the wrong shape with an error acknowledgement', async () => {
    const agentAck = (await allowedSocket.socket.emitWithAck('message.send', {
      conversationId: 'nope',
    })) as { error: { code: string; message: string } };
    expect(agentAck.error.code).toBe('validation_failed');
    const visitorAck = (await visitor.socket.emitWithAck('message', { text: 42 })) as {
      error: { code: string };
    };
    expect(visitorAck.error.code).toBe('validation_failed');
    const spoof = (await visitor.socket.emitWithAck('message', {
      text: 'x',
      conversationId: '00000000-0000-4000-8000-000000000000',
    })) as { error: { message: string } };
    expect(spoof.error.message).toContain('conversationId');
  });

  it('rejects an agent socket with a bad token', async () => {
    await expect(connect(proc.url, '/agent', { token: 'forged' })).rejects.toThrow(/unauthorized/);
  });

  it('never shows one visitor another visitor’s conversation, whatever token is sent', async () => {
    const forged = session.visitorToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const { visitor: intruder, session: theirs } = await connectVisitor(proc.url, {
      visitorToken: forged,
    });
    sockets.push(intruder);
    expect(theirs.conversationId).toBeNull();
    expect(theirs.visitorToken).not.toBe(session.visitorToken);
    await sleep(300);
    expect(intruder.of('message')).toEqual([]);
  });

  it('stores a resent message once (client id) and announces it once', async () => {
    const payload = { text: 'did you get this?', clientId: 'resend-1' };
    const first = (await visitor.socket.emitWithAck('message', payload)) as { id: string };
    const second = (await visitor.socket.emitWithAck('message', payload)) as { id: string };
    expect(second.id).toBe(first.id);
    await sleep(300);
    expect(
      allowedSocket.of<Created>('message.created').filter((p) => p.message.id === first.id),
    ).toHaveLength(1);
    const list = await allowed.get<{ items: { text: string }[] }>(
      `/api/v1/conversations/${session.conversationId}/messages`,
    );
    expect(list.body.items.filter((m) => m.text === 'did you get this?')).toHaveLength(1);
  });

  it('keeps everything across a restart and shows the visitor their history again', async () => {
    const before = await allowed.get<{ items: { id: string; private: boolean }[] }>(
      `/api/v1/conversations/${session.conversationId}/messages`,
    );
    expect(await proc.stop()).toBe(0);
    expect(proc.output()).toContain('stopped cleanly');
    proc = await spawnServer(storage);
    const { visitor: returning, session: again } = await connectVisitor(proc.url, {
      visitorToken: session.visitorToken,
    });
    sockets.push(returning);
    expect(again).toEqual(session);
    const visible = before.body.items.filter((m) => !m.private).map((m) => m.id);
    await returning.wait<VisitorMessage>('message', (m) => m.id === visible.at(-1));
    expect(returning.of<VisitorMessage>('message').map((m) => m.id)).toEqual(visible);
    const relogged = await login(proc.url, 'allowed@example.com', 'agent-password-1');
    const after = await relogged.get<{ items: { id: string }[] }>(
      `/api/v1/conversations/${session.conversationId}/messages`,
    );
    expect(after.body.items.map((m) => m.id)).toEqual(before.body.items.map((m) => m.id));
  });
});
