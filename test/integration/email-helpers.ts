import { randomBytes } from 'node:crypto';
import { and, eq, like, sql } from 'drizzle-orm';
import { messages, type MessageRow } from '../../src/db/schema';
import { appendMessage } from '../helpers/mail/dovecot';
import type { Api, TestServer } from '../helpers/server';

/** Receivers start within a fraction of a second and retry fast in these tests. */
export const EMAIL_ENV = {
  RECEIVER_TICK_SECONDS: '0.2',
  RECEIVER_LEASE_SECONDS: '2',
  JOB_LEASE_SECONDS: '2',
};

export const SUPPORT = 'support@example.com';

export async function waitFor<T>(
  probe: () => Promise<T> | T,
  ok: (v: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Creates the e-mail inbox over the API (which tests both connections first). */
export async function createEmailInbox(
  admin: Api,
  creds: { imapUrl: string; smtpUrl: string },
  settings: Record<string, unknown> = {},
): Promise<string> {
  const res = await admin.send<{ id: string; error?: unknown }>('POST', '/api/v1/inboxes', {
    name: 'Support mail',
    channel: 'email',
    settings: { ...creds, from: `Acme Support <${SUPPORT}>`, ...settings },
  });
  if (res.status !== 201) throw new Error(`inbox: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** A plain message from a customer, as a simple client writes it. */
export function customerMail(opts: {
  from: string;
  name?: string;
  subject: string;
  text: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  cc?: string[];
  headers?: string[];
}): { raw: string; messageId: string } {
  const messageId = opts.messageId ?? `<${randomBytes(8).toString('hex')}@client.example.org>`;
  const lines = [
    `From: ${opts.name ? `${opts.name} ` : ''}<${opts.from}>`,
    `To: Acme Support <${SUPPORT}>`,
    ...(opts.cc?.length ? [`Cc: ${opts.cc.join(', ')}`] : []),
    `Subject: ${opts.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${messageId}`,
    ...(opts.inReplyTo ? [`In-Reply-To: ${opts.inReplyTo}`] : []),
    ...(opts.references?.length ? [`References: ${opts.references.join(' ')}`] : []),
    ...(opts.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    opts.text,
    '',
  ];
  return { raw: lines.join('\r\n'), messageId };
}

export async function append(imapUrl: string, raw: string | Buffer): Promise<void> {
  await appendMessage(imapUrl, raw);
}

/** Inbound messages stored for a Message-ID (the provider id is `<id>#fingerprint`). */
export async function storedByMessageId(t: TestServer, messageId: string): Promise<MessageRow[]> {
  return t.server.database.db
    .select()
    .from(messages)
    .where(and(eq(messages.direction, 'in'), like(messages.providerMessageId, `${messageId}#%`)));
}

export async function inboundCount(t: TestServer, inboxId: string): Promise<number> {
  const [row] = await t.server.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(messages)
    .where(and(eq(messages.inboxId, inboxId), eq(messages.direction, 'in')));
  return row!.n;
}

/** Waits for one stored copy of the message and returns it. */
export async function waitForStored(
  t: TestServer,
  messageId: string,
  ms = 15_000,
): Promise<MessageRow> {
  const rows = await waitFor(
    () => storedByMessageId(t, messageId),
    (r) => r.length > 0,
    ms,
  );
  return rows[0]!;
}

export async function reply(
  admin: Api,
  conversationId: string,
  text: string,
  email?: Record<string, unknown>,
): Promise<string> {
  const res = await admin.send<{ id: string }>(
    'POST',
    `/api/v1/conversations/${conversationId}/messages`,
    { text, ...(email ? { email } : {}) },
  );
  if (res.status !== 201) throw new Error(`reply: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function messageRow(t: TestServer, id: string): Promise<MessageRow> {
  const [row] = await t.server.database.db.select().from(messages).where(eq(messages.id, id));
  return row!;
}
