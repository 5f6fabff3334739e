// E-mail threading end to end: a real Dovecot mailbox read by the server's IMAP receiver, and
// replies caught by a real SMTP server. A thread stays one conversation from every client, two
// customers never share one, CC is kept and answered when asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { contactIdentities, contacts, conversations, messages } from '../../src/db/schema';
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

/** A client's reply fixture as another customer would send it, with its own Message-ID. */
function clientReply(
  fixture: string,
  opts: { customer: string; answers: string; messageId: string },
): Buffer {
  const raw = loadEmailFixture(fixture, { originalMessageId: opts.answers }).toString('latin1');
  const withId = raw.replace(
    /^Message-I[dD]:[ \t]*(?:\r\n[ \t]+)?<[^>]+>/m,
    `Message-ID: ${opts.messageId}`,
  );
  return Buffer.from(withId.replaceAll('alice.martin@example.org', opts.customer), 'latin1');
}

describe('threading', () => {
  const clients = [
    'reply-gmail.eml',
    'reply-outlook.eml',
    'reply-apple-mail.eml',
    'reply-thunderbird.eml',
  ];

  it.each(clients)('keeps a three-step thread one conversation (%s)', async (fixture) => {
    const customer = `alice.${fixture.replace(/\W/g, '')}@example.org`;
    const first = customerMail({
      from: customer,
      name: 'Alice Martin',
      subject: 'Your order #4521',
      text: 'Where is my order #4521?',
    });
    await append(mailbox.imapUrl, first.raw);
    const conversationId = await conversationOf(first.messageId);

    const one = await agentAnswers(conversationId, `It left today (${fixture}).`);
    // The reply threads in a real client's terms.
    expect(one.mail.inReplyTo).toBe(first.messageId);
    expect(one.mail.references).toContain(first.messageId);
    expect(one.mail.subject).toBe('Re: Your order #4521');
    expect(one.mail.envelope.to).toEqual([customer]);
    expect(one.mail.messageId).toMatch(/^<sb\.[a-z2-7]{26}\.[a-z2-7]{26}@example\.com>$/);

    const secondId = `<second.${fixture}@client.example.org>`;
    await append(
      mailbox.imapUrl,
      clientReply(fixture, { customer, answers: one.mail.messageId!, messageId: secondId }),
    );
    expect(await conversationOf(secondId)).toBe(conversationId);
    const second = (await storedByMessageId(t, secondId))[0]!;
    // The new part only; the quoted history stays behind "show quoted".
    expect(second.text).toContain('Could you check what happened?');
    expect(second.text).not.toContain('left our warehouse');
    expect(JSON.stringify(second.meta)).toContain('left our warehouse');

    const two = await agentAnswers(conversationId, `Checking with the courier (${fixture}).`);
    // RFC 5322 3.6.4: the parent's References (this client kept only our id) and the parent.
    expect(two.mail.inReplyTo).toBe(secondId);
    expect(two.mail.references).toEqual([one.mail.messageId, secondId]);

    const thirdId = `<third.${fixture}@client.example.org>`;
    await append(
      mailbox.imapUrl,
      clientReply(fixture, { customer, answers: two.mail.messageId!, messageId: thirdId }),
    );
    expect(await conversationOf(thirdId)).toBe(conversationId);

    const [identity] = await db()
      .select()
      .from(contactIdentities)
      .where(eq(contactIdentities.value, customer));
    const theirs = await db()
      .select()
      .from(conversations)
      .where(eq(conversations.contactId, identity!.contactId));
    expect(theirs).toHaveLength(1);
    const all = await db()
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversationId));
    expect(all.filter((m) => m.direction === 'in')).toHaveLength(3);
    expect(all.filter((m) => m.direction === 'out')).toHaveLength(2);
  });

  it('keeps two customers with the same subject apart, and a CC’d colleague in a thread of their own', async () => {
    const a = customerMail({
      from: 'ann@example.org',
      subject: 'Refund',
      text: 'Refund please (Ann)',
    });
    const b = customerMail({
      from: 'ben@example.org',
      subject: 'Refund',
      text: 'Refund please (Ben)',
    });
    await append(mailbox.imapUrl, a.raw);
    await append(mailbox.imapUrl, b.raw);
    const convA = await conversationOf(a.messageId);
    const convB = await conversationOf(b.messageId);
    expect(convA).not.toBe(convB);

    // Ann writes again without quoting anything: same subject, same customer, same conversation.
    const again = customerMail({
      from: 'ann@example.org',
      subject: 'RE: Refund',
      text: 'Any news?',
    });
    await append(mailbox.imapUrl, again.raw);
    expect(await conversationOf(again.messageId)).toBe(convA);

    // Ben answers Ann's thread (a forwarded or CC'd copy): he never lands in Ann's conversation.
    const answer = await agentAnswers(convA, 'Refund is on its way, Ann.');
    const intruder = customerMail({
      from: 'ben@example.org',
      subject: 'Re: Refund',
      text: 'What about mine?',
      inReplyTo: answer.mail.messageId!,
      references: [a.messageId, answer.mail.messageId!],
    });
    await append(mailbox.imapUrl, intruder.raw);
    const convIntruder = await conversationOf(intruder.messageId);
    expect(convIntruder).not.toBe(convA);
    expect(convIntruder).toBe(convB);
  });

  it('keeps CC on the conversation, makes contacts of them and answers everyone when asked', async () => {
    const m = customerMail({
      from: 'carol@example.org',
      subject: 'Team order',
      text: 'Please confirm to both of us.',
      cc: ['Dave Miller <dave@example.org>', SUPPORT],
    });
    await append(mailbox.imapUrl, m.raw);
    const conversationId = await conversationOf(m.messageId);
    const [dave] = await db()
      .select({ name: contacts.name })
      .from(contactIdentities)
      .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
      .where(eq(contactIdentities.value, 'dave@example.org'));
    expect(dave?.name).toBe('Dave Miller');
    const [conv] = await db()
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    expect(conv!.channelRef).toMatchObject({ cc: ['dave@example.org'] });

    const all = await agentAnswers(conversationId, 'Confirmed for both.', { replyAll: true });
    expect(all.mail.envelope.to.sort()).toEqual(['carol@example.org', 'dave@example.org']);
    const chosen = await agentAnswers(conversationId, 'Only to Carol, with a copy.', {
      cc: ['erin@example.org'],
      bcc: ['audit@example.org'],
      subject: 'Your team order',
    });
    expect(chosen.mail.subject).toBe('Your team order');
    expect(chosen.mail.envelope.to.sort()).toEqual([
      'audit@example.org',
      'carol@example.org',
      'erin@example.org',
    ]);
    expect(chosen.mail.raw.toString()).not.toMatch(/^Bcc:/im);
  });
});
