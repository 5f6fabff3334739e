// The e-mail channel end to end: a real Dovecot mailbox read by the server's IMAP receiver, and
// replies caught by a real SMTP server (the sink). Loops, auto-replies, bounces, HTML, limits,
// SMTP errors and "test connection" (threading: email-threading.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { attachments, contactIdentities, messages } from '../../src/db/schema';
import { createMailUser, type MailUser } from '../helpers/mail/dovecot';
import { loadEmailFixture } from '../helpers/mail/fixtures';
import { startSmtpSink, type SmtpSink, type SinkMessage } from '../helpers/mail/smtp-sink';
import { login, startTestServer, type Api, type TestServer } from '../helpers/server';
import {
  EMAIL_ENV,
  SUPPORT,
  append,
  createEmailInbox,
  customerMail,
  messageRow,
  reply,
  storedByMessageId,
  waitFor,
  waitForStored,
} from './email-helpers';

let t: TestServer;
let admin: Api;
let sink: SmtpSink;
let mailbox: MailUser;

beforeAll(async () => {
  [mailbox, sink] = await Promise.all([createMailUser(), startSmtpSink()]);
  t = await startTestServer(EMAIL_ENV);
  admin = await login(t.url);
  await createEmailInbox(admin, { imapUrl: mailbox.imapUrl, smtpUrl: sink.smtpUrl });
});
afterAll(async () => {
  await t?.stop();
  await sink?.close();
});

const db = () => t.server.database.db;
const conversationOf = async (messageId: string) =>
  (await waitForStored(t, messageId)).conversationId;

/** The agent answers; resolves with the mail as the SMTP server received it. */
async function agentAnswers(
  conversationId: string,
  text: string,
  email?: Record<string, unknown>,
): Promise<{ id: string; mail: SinkMessage }> {
  const id = await reply(admin, conversationId, text, email);
  const mail = await sink.waitFor((m) => (m.text ?? '').includes(text), 15_000);
  await waitFor(
    () => messageRow(t, id),
    (m) => m.status === 'sent',
  );
  return { id, mail };
}

describe('loops, auto-replies and bounces', () => {
  it('never takes in mail from our own address', async () => {
    const own = customerMail({ from: SUPPORT, subject: 'Our own copy', text: 'sent by us' });
    const marker = customerMail({ from: 'frank@example.org', subject: 'After', text: 'after' });
    await append(mailbox.imapUrl, own.raw);
    await append(mailbox.imapUrl, marker.raw);
    await waitForStored(t, marker.messageId);
    expect(await storedByMessageId(t, own.messageId)).toEqual([]);
  });

  it('stores and marks auto-replies, and nothing answers them', async () => {
    const first = customerMail({ from: 'bob.stone@example.org', subject: 'Kettle', text: 'Hi' });
    await append(mailbox.imapUrl, first.raw);
    const conversationId = await conversationOf(first.messageId);
    const answer = await agentAnswers(conversationId, 'We will look into it, Bob.');
    const sentBefore = sink.messages.length;
    for (const fixture of [
      'autoreply-auto-submitted-en.eml',
      'autoreply-x-autoreply-ru.eml',
      'autoreply-precedence-bulk-ru.eml',
      'autoreply-subject-only-fa.eml',
    ]) {
      const raw = loadEmailFixture(fixture, { originalMessageId: answer.mail.messageId! })
        .toString('latin1')
        .replace(
          /(?:olga\.smirnova|dmitry\.volkov|maryam\.rezaei)@example\.org/g,
          'bob.stone@example.org',
        );
      await append(mailbox.imapUrl, Buffer.from(raw, 'latin1'));
    }
    const rows = await waitFor(
      () =>
        db()
          .select()
          .from(messages)
          .where(and(eq(messages.conversationId, conversationId), eq(messages.direction, 'in'))),
      (r) => r.length === 5,
    );
    const autos = rows.filter((r) => r.meta['autoReply'] === true);
    expect(autos).toHaveLength(4);
    const dto = await admin.get<{ items: { autoReply?: boolean }[] }>(
      `/api/v1/conversations/${conversationId}/messages`,
    );
    expect(dto.body.items.filter((m) => m.autoReply)).toHaveLength(4);
    await new Promise((r) => setTimeout(r, 500));
    const outbound = await db()
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.direction, 'out')));
    expect(outbound).toHaveLength(1);
    expect(sink.messages.length).toBe(sentBefore);
  });

  it('a hard bounce fails our reply with the reason and marks the address undeliverable', async () => {
    const first = customerMail({
      from: 'no.such.user@example.org',
      subject: 'Kettle arrived broken',
      text: 'It is broken.',
    });
    await append(mailbox.imapUrl, first.raw);
    const conversationId = await conversationOf(first.messageId);
    const answer = await agentAnswers(conversationId, 'A replacement is on its way.');
    await append(
      mailbox.imapUrl,
      loadEmailFixture('bounce-hard-5.1.1.eml', { originalMessageId: answer.mail.messageId! }),
    );
    const failed = await waitFor(
      () => messageRow(t, answer.id),
      (m) => m.status === 'failed',
    );
    expect(failed.failureReason).toContain('User unknown');
    const [identity] = await waitFor(
      () =>
        db()
          .select()
          .from(contactIdentities)
          .where(eq(contactIdentities.value, 'no.such.user@example.org')),
      (r) => r[0]?.state === 'undeliverable',
    );
    expect(identity!.stateReason).toContain('5.1.1');
    // The bounce is on the customer's conversation, marked; the mail system is nobody's contact.
    const bounces = await db()
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), sql`${messages.meta} ? 'bounce'`));
    expect(bounces).toHaveLength(1);
    const daemons = await db()
      .select()
      .from(contactIdentities)
      .where(sql`${contactIdentities.value} like 'mailer-daemon@%'`);
    expect(daemons).toEqual([]);
    // The next reply is refused at once, saying why.
    const next = await reply(admin, conversationId, 'Hello again?');
    const refused = await waitFor(
      () => messageRow(t, next),
      (m) => m.status === 'failed',
    );
    expect(refused.failureReason).toMatch(/bounced/);
  });

  it('a soft bounce is stored and marked, and the reply stays sent', async () => {
    const first = customerMail({ from: 'full.mailbox@example.org', subject: 'Hi', text: 'Hi' });
    await append(mailbox.imapUrl, first.raw);
    const conversationId = await conversationOf(first.messageId);
    const answer = await agentAnswers(conversationId, 'Hello there, full mailbox.');
    const bounce = loadEmailFixture('bounce-soft-4.2.2.eml', {
      originalMessageId: answer.mail.messageId!,
    });
    await append(mailbox.imapUrl, bounce);
    await waitFor(
      () =>
        db()
          .select()
          .from(messages)
          .where(
            and(eq(messages.conversationId, conversationId), sql`${messages.meta} ? 'bounce'`),
          ),
      (r) => r.length === 1,
    );
    expect((await messageRow(t, answer.id)).status).toBe('sent');
  });
});

describe('content', () => {
  it('stores HTML with no script, event handler or remote load, and the new part as text', async () => {
    const raw = loadEmailFixture('html-hostile.eml');
    await append(mailbox.imapUrl, raw);
    const row = await waitForStored(t, '<20240312101500.7F3A2C0042@mx.account-check.invalid>');
    const html = row.html ?? '';
    expect(html).not.toMatch(/<script|<iframe|<form|<style|<object|<embed/i);
    expect(html).not.toMatch(/\son\w+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
    // Nothing that loads by itself: no src/background/srcset pointing anywhere remote, no url().
    expect(html).not.toMatch(/\s(?:src|background|srcset|poster)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\s*\(/i);
    expect(html).toContain('data-remote-src="https://tracker.example/p.gif"');
  });

  it('keeps inline images by Content-ID and files over the limit as too large', async () => {
    await append(mailbox.imapUrl, loadEmailFixture('inline-image-cid.eml'));
    const row = await waitForStored(t, '<6E1A9B3C-2D4F-4A8E-B7C1-9D0E2F4A6B8C@example.org>');
    expect(row.html).toContain('src="cid:7C1E0B52-94D3-4B1F-A0C2-3E5D7F9A1B2C@example.org"');
    const files = await db().select().from(attachments).where(eq(attachments.messageId, row.id));
    expect(files).toMatchObject([
      { contentId: '7C1E0B52-94D3-4B1F-A0C2-3E5D7F9A1B2C@example.org', fetchState: 'stored' },
    ]);
    const dto = await admin.get<{ items: { id: string; attachments: { contentId?: string }[] }[] }>(
      `/api/v1/conversations/${row.conversationId}/messages`,
    );
    expect(dto.body.items.find((m) => m.id === row.id)?.attachments[0]?.contentId).toBe(
      '7C1E0B52-94D3-4B1F-A0C2-3E5D7F9A1B2C@example.org',
    );
  });

  it('keeps both messages of a mailer that reuses a Message-ID, and one without any', async () => {
    await append(mailbox.imapUrl, loadEmailFixture('duplicate-message-id-a.eml'));
    await append(mailbox.imapUrl, loadEmailFixture('duplicate-message-id-b.eml'));
    await append(mailbox.imapUrl, loadEmailFixture('no-message-id.eml'));
    const dupes = await waitFor(
      () => storedByMessageId(t, '<duplicate-4521@crm.example.org>'),
      (r) => r.length === 2,
    );
    expect(dupes.map((r) => r.text).sort()).toEqual([
      'Your order 4526 is confirmed.',
      'Your order 4527 is confirmed.',
    ]);
    // The contact form's customer is the Reply-To, not the web server.
    const [hanna] = await waitFor(
      () =>
        db()
          .select()
          .from(contactIdentities)
          .where(eq(contactIdentities.value, 'hanna.berg@example.org')),
      (r) => r.length === 1,
    );
    expect(hanna).toBeDefined();
  });

  it('keeps the first 50 of 2,000 recipients and says how many there were', async () => {
    await append(mailbox.imapUrl, loadEmailFixture('many-recipients.eml'));
    const row = await waitForStored(t, '<reply-all-storm-0001@example.org>');
    const email = row.meta['email'] as { to: unknown[]; cc: unknown[]; recipients: unknown };
    expect(email.to).toHaveLength(50);
    expect(email.cc).toHaveLength(50);
    expect(email.recipients).toEqual({ to: 1500, cc: 500, kept: 50 });
  });

  it('keeps a message whose MIME is broken, saying so', async () => {
    await append(mailbox.imapUrl, loadEmailFixture('malformed-boundary-mismatch.eml'));
    await append(mailbox.imapUrl, loadEmailFixture('malformed-missing-end-boundary.eml'));
    const broken = await waitForStored(t, '<spring-sale-2024.support@shop.example.org>');
    expect((broken.meta['email'] as { problem?: string }).problem).toMatch(/malformed/);
    const cut = await waitForStored(t, '<1234567.890.1710230000000@mail.example.org>');
    expect(cut.text).toContain('looks wrong');
  });
});

describe('sending', () => {
  it('retries after a 4xx and fails with the server’s words after a 5xx', async () => {
    const first = customerMail({ from: 'gina@example.org', subject: 'Hello', text: 'Hello' });
    await append(mailbox.imapUrl, first.raw);
    const conversationId = await conversationOf(first.messageId);

    sink.failNext(1, { code: 451, message: '4.3.0 Try again later' });
    const retried = await reply(admin, conversationId, 'Second time lucky');
    const pending = await waitFor(
      () => messageRow(t, retried),
      (m) => (m.failureReason ?? '').includes('4.3.0'),
    );
    expect(pending.status).toBe('queued');
    await sink.waitFor((m) => (m.text ?? '').includes('Second time lucky'), 20_000);
    await waitFor(
      () => messageRow(t, retried),
      (m) => m.status === 'sent',
    );

    sink.failNext(1, { code: 554, message: '5.7.1 Message refused by policy' });
    const refused = await reply(admin, conversationId, 'This one is refused');
    const row = await waitFor(
      () => messageRow(t, refused),
      (m) => m.status === 'failed',
    );
    expect(row.failureReason).toContain('5.7.1 Message refused by policy');
  });

  it('refuses credentials that do not work, naming which side and never the password', async () => {
    const res = await admin.send<{ error: { code: string; message: string } }>(
      'POST',
      '/api/v1/inboxes',
      {
        name: 'Wrong',
        channel: 'email',
        settings: {
          imapUrl: mailbox.imapUrl.replace(mailbox.password, 'not-the-password'),
          smtpUrl: sink.smtpUrl,
          from: 'other@example.com',
        },
      },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('credentials_rejected');
    expect(res.body.error.message).toMatch(/IMAP: /);
    expect(res.body.error.message).not.toMatch(/SMTP: /);
    expect(res.body.error.message).not.toContain('not-the-password');

    // "Test connection" checks both without saving anything.
    const settings = {
      imapUrl: mailbox.imapUrl,
      smtpUrl: sink.smtpUrl,
      from: 'Help <help@example.com>',
    };
    const ok = await admin.send('POST', '/api/v1/inboxes/test', { channel: 'email', settings });
    expect(ok).toMatchObject({ status: 200, body: { ok: true, name: 'Help' } });
    const bad = await admin.send<{ error: { message: string } }>('POST', '/api/v1/inboxes/test', {
      channel: 'email',
      settings: { ...settings, smtpUrl: sink.smtpUrl.replace('sink-password', 'wrong-one') },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/SMTP: /);
    expect(bad.body.error.message).not.toMatch(/IMAP: /);
    expect(bad.body.error.message).not.toContain('wrong-one');
  });
});
