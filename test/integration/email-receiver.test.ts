// The IMAP receiver against a real Dovecot, through a TCP proxy that can cut its connection:
// the first sync's window and progress, a restart in the middle of IDLE, a UIDVALIDITY change
// and a connection cut in the middle of a FETCH each lose and duplicate nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { attachments, inboxes } from '../../src/db/schema';
import { buildLargeAttachmentMessage } from '../helpers/mail/fixtures';
import {
  bumpUidValidity,
  createMailUser,
  dovecot,
  parseImapUrl,
  withImap,
  type MailUser,
} from '../helpers/mail/dovecot';
import { startImapProxy, type ImapProxy } from '../helpers/mail/imap-proxy';
import { startSmtpSink, type SmtpSink } from '../helpers/mail/smtp-sink';
import { login, startTestServer, type Api, type TestServer } from '../helpers/server';
import {
  EMAIL_ENV,
  append,
  createEmailInbox,
  customerMail,
  inboundCount,
  storedByMessageId,
  waitFor,
  waitForStored,
} from './email-helpers';

let t: TestServer;
let admin: Api;
let sink: SmtpSink;
let proxy: ImapProxy;
let mailbox: MailUser;
let inboxId: string;
const sent: string[] = [];

const start = (storage?: TestServer['storage']) =>
  startTestServer(EMAIL_ENV, storage ? { storage } : {});

async function mail(n: string): Promise<string> {
  const m = customerMail({
    from: `customer${n}@example.org`,
    subject: `Mail ${n}`,
    text: `n=${n}`,
  });
  await append(mailbox.imapUrl, m.raw);
  sent.push(m.messageId);
  return m.messageId;
}

/** Every message sent so far is stored exactly once, and nothing else is. */
async function expectEachOnce(): Promise<void> {
  await waitFor(
    () => inboundCount(t, inboxId),
    (n) => n >= sent.length,
  );
  for (const id of sent) expect(await storedByMessageId(t, id), id).toHaveLength(1);
  expect(await inboundCount(t, inboxId)).toBe(sent.length);
}

const cursor = async () =>
  (await t.server.database.db.select().from(inboxes).where(eq(inboxes.id, inboxId)))[0]!
    .channelState as { uidValidity?: number; lastUid?: number };

beforeAll(async () => {
  [mailbox, sink, proxy] = await Promise.all([
    createMailUser(),
    startSmtpSink(),
    startImapProxy(dovecot().port),
  ]);
  // Already in the mailbox before the inbox exists: three recent messages and one too old.
  for (const n of ['1', '2', '3']) await mail(n);
  const old = customerMail({ from: 'old@example.org', subject: 'Old', text: 'from last year' });
  await withImap(mailbox.imapUrl, (client) =>
    client.append(
      parseImapUrl(mailbox.imapUrl).mailbox,
      old.raw,
      [],
      new Date(Date.now() - 40 * 86_400_000),
    ),
  );
  t = await start();
  admin = await login(t.url);
  inboxId = await createEmailInbox(
    admin,
    { imapUrl: proxy.via(mailbox.imapUrl), smtpUrl: sink.smtpUrl },
    { firstSyncDays: 14 },
  );
});
afterAll(async () => {
  await t?.stop();
  await Promise.all([sink?.close(), proxy?.close()]);
});

describe('the IMAP receiver', () => {
  it('takes the first sync’s window only, shows its progress and leaves \\Seen alone', async () => {
    await expectEachOnce();
    const health = await waitFor(
      async () =>
        (
          await admin.get<{ health: { status?: string; detail?: Record<string, unknown> } }>(
            `/api/v1/inboxes/${inboxId}`,
          )
        ).body.health,
      (h) => h.detail?.['phase'] === 'live',
    );
    expect(health).toMatchObject({ status: 'connected', detail: { imported: 3, total: 3 } });
    const flags = await withImap(mailbox.imapUrl, async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      const out: string[][] = [];
      for await (const m of client.fetch('1:*', { flags: true })) out.push([...(m.flags ?? [])]);
      return out;
    });
    expect(flags.flat()).not.toContain('\\Seen');
  });

  it('takes new mail while IDLE', async () => {
    await mail('4');
    await expectEachOnce();
  });

  it('loses and duplicates nothing across a restart in the middle of IDLE', async () => {
    await t.halt();
    await mail('5');
    await mail('6');
    t = await start(t.storage);
    await mail('7');
    await expectEachOnce();
  });

  it('loses and duplicates nothing when UIDVALIDITY changes', async () => {
    const before = await cursor();
    const { after } = await bumpUidValidity(mailbox.imapUrl);
    await mail('8');
    // The receiver notices on its next connection.
    proxy.cutAll();
    await waitFor(cursor, (c) => c.uidValidity === after);
    expect(before.uidValidity).not.toBe(after);
    await expectEachOnce();
  });

  it('resumes after the connection is cut in the middle of a FETCH', async () => {
    const cut = proxy.cutOnServerData(/BODY\[\] \{\d+\}/);
    for (const n of ['9', '10', '11', '12', '13']) await mail(n);
    await cut;
    await expectEachOnce();
    const ids = await Promise.all(sent.slice(-5).map((id) => waitForStored(t, id)));
    expect(new Set(ids.map((r) => r.conversationId)).size).toBe(5);
  });

  it('keeps a 30 MB attachment over the limit as too large, and goes on', async () => {
    const raw = buildLargeAttachmentMessage();
    const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(
      raw.subarray(0, 4000).toString('latin1'),
    )![1]!;
    await append(mailbox.imapUrl, raw);
    sent.push(messageId);
    await mail('14');
    await expectEachOnce();
    const row = await waitForStored(t, messageId);
    const [file] = await t.server.database.db
      .select()
      .from(attachments)
      .where(eq(attachments.messageId, row.id));
    expect(file).toMatchObject({
      fetchState: 'too_large',
      size: 30 * 1024 * 1024,
      storagePath: null,
    });
  });
});
