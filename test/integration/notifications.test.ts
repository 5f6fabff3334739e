import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../helpers/mail/smtp-sink';
import {
  connect,
  connectVisitor,
  login,
  startTestServer,
  visitorSays,
  type Api,
  type Recorder,
  type TestServer,
} from '../helpers/server';

/**
 * Supervisors hear of a legal threat at once: in the app (a `notification` on their socket) and
 * by e-mail through the notification mail server, one mail with every supervisor in Bcc and a
 * link to the conversation.
 */
describe('supervisor notifications', () => {
  let sink: SmtpSink;
  let t: TestServer;
  let admin: Api;
  let supervisor: Api & { id: string };
  let socket: Recorder;

  beforeAll(async () => {
    sink = await startSmtpSink({ user: 'notify', password: 'notify-pass' });
    t = await startTestServer({
      NOTIFY_SMTP_URL: sink.smtpUrl,
      NOTIFY_FROM: 'Switchboard <alerts@example.com>',
    });
    admin = await login(t.url);
    const res = await admin.send<{ user: { id: string } }>('POST', '/api/v1/users', {
      email: 'sara@example.com',
      name: 'Sara Supervisor',
      role: 'supervisor',
      password: 'supervisor-password-1',
    });
    expect(res.status).toBe(201);
    supervisor = {
      ...(await login(t.url, 'sara@example.com', 'supervisor-password-1')),
      id: res.body.user.id,
    };
    socket = await connect(t.url, '/agent', { token: supervisor.token });
  });

  afterAll(async () => {
    socket?.socket.disconnect();
    await t?.stop();
    await sink?.close();
  });

  it('tells supervisors of a legal threat in the app and by e-mail', async () => {
    const { visitor } = await connectVisitor(t.url);
    const { conversationId } = await visitorSays(
      visitor,
      'Я подам в суд, если вы не вернёте деньги',
    );
    visitor.socket.disconnect();
    const note = await socket.wait<{ title?: string; conversationId?: string }>(
      'notification',
      (n) => JSON.stringify(n).includes(conversationId),
      10_000,
    );
    expect(JSON.stringify(note)).toMatch(/Legal risk/);

    const mail = await sink.waitFor((m) => (m.text ?? '').includes(conversationId), 15_000);
    expect(mail.subject).toMatch(/Legal risk/);
    // Every supervisor and admin, plus the sender's own address in To.
    expect(mail.envelope.to.sort()).toEqual([
      'admin@example.com',
      'alerts@example.com',
      'sara@example.com',
    ]);
    // Nobody's address is shown to the others.
    expect(mail.parsed.to).toBeDefined();
    expect(JSON.stringify(mail.parsed.to)).not.toContain('sara@example.com');
    expect(mail.text).toContain(`/#/inbox/all/c/${conversationId}`);
    expect(mail.authUser).toBe('notify');
  });
});
