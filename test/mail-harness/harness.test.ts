import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHARSET_TEXT,
  EMAIL_FIXTURES_DIR,
  INLINE_IMAGE_CID,
  buildFixtures,
} from '../fixtures/email/generate';
import {
  appendMessage,
  bumpUidValidity,
  connectImap,
  createMailUser,
  dovecot,
  getUidValidity,
  mailboxUrl,
  recreateMailbox,
  withImap,
  type MailUser,
} from '../helpers/mail/dovecot';
import {
  buildLargeAttachmentMessage,
  emailFixtureNames,
  loadEmailFixture,
} from '../helpers/mail/fixtures';
import { startImapProxy } from '../helpers/mail/imap-proxy';
import { startSmtpSink, type SmtpSink } from '../helpers/mail/smtp-sink';

describe('e-mail fixtures', () => {
  it('are exactly what generate.ts writes, with CRLF line ends only', () => {
    const built = buildFixtures();
    expect(emailFixtureNames()).toEqual(Object.keys(built).sort());
    for (const [name, bytes] of Object.entries(built)) {
      const committed = readFileSync(join(EMAIL_FIXTURES_DIR, name));
      expect(committed.equals(bytes), `${name} differs from generate.ts's output`).toBe(true);
      expect(/(^|[^\r])\n/.test(committed.toString('latin1')), `${name} has a bare LF`).toBe(false);
    }
  });

  it('fills in the original Message-ID, with or without angle brackets', () => {
    const withBrackets = loadEmailFixture('reply-thunderbird.eml', {
      originalMessageId: '<sent-1@example.com>',
    }).toString();
    expect(withBrackets).toContain('In-Reply-To: <sent-1@example.com>');
    expect(withBrackets).toContain('cite="mid:sent-1@example.com"');
    expect(withBrackets).not.toContain('ORIGINAL_MESSAGE_ID');
    const bare = loadEmailFixture('reply-gmail.eml', { originalMessageId: 'sent-2@example.com' });
    expect(bare.toString()).toContain('References: <sent-2@example.com>');
  });

  it('builds the 30 MB attachment message at test time', () => {
    const raw = buildLargeAttachmentMessage();
    const start = raw.indexOf('\r\n\r\n', raw.indexOf('filename="delivery.mp4"')) + 4;
    const end = raw.indexOf('\r\n--------------L4rg3AttachmentB0undary--\r\n', start);
    expect(end).toBe(raw.length - '\r\n--------------L4rg3AttachmentB0undary--\r\n'.length);
    // Node's base64 decoder skips the line breaks.
    const attachment = Buffer.from(raw.subarray(start, end).toString('latin1'), 'base64');
    expect(attachment.length).toBe(30 * 1024 * 1024);
  });
});

describe('Dovecot harness', () => {
  let alice: MailUser;
  let bob: MailUser;
  const appended = [
    'reply-gmail.eml',
    'charset-persian-windows-1256.eml',
    'charset-russian-koi8-r.eml',
    'charset-ukrainian-windows-1251.eml',
    'charset-arabic-iso-8859-6.eml',
    'inline-image-cid.eml',
    'attachments-pdf-and-image.eml',
  ];

  beforeAll(async () => {
    [alice, bob] = await Promise.all([createMailUser(), createMailUser()]);
    for (const name of appended) {
      const raw = loadEmailFixture(name, { originalMessageId: '<sent-1@example.com>' });
      await appendMessage(alice.imapUrl, raw, name === 'reply-gmail.eml' ? ['\\Seen'] : []);
    }
  });

  it('gives each user an imap:// URL on the shared server', () => {
    const { port } = dovecot();
    expect(alice.imapUrl).toBe(`imap://${alice.user}:${alice.password}@127.0.0.1:${port}/INBOX`);
    expect(alice.user).not.toBe(bob.user);
  });

  it('returns appended messages byte for byte, and mailparser decodes them', async () => {
    const messages = await withImap(alice.imapUrl, async (client) => {
      await client.mailboxOpen('INBOX');
      const out: { uid: number; flags: Set<string>; source: Buffer }[] = [];
      for await (const msg of client.fetch('1:*', { uid: true, flags: true, source: true })) {
        if (!msg.source || !msg.flags)
          throw new Error(`message ${msg.uid} came without its source`);
        out.push({ uid: msg.uid, flags: msg.flags, source: msg.source });
      }
      return out;
    });
    expect(messages.map((m) => m.uid)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    messages.forEach((msg, i) => {
      const name = appended[i]!;
      const sent = loadEmailFixture(name, { originalMessageId: '<sent-1@example.com>' });
      expect(msg.source.equals(sent), `${name} came back changed`).toBe(true);
    });
    expect(messages[0]!.flags.has('\\Seen')).toBe(true);

    const parse = (i: number) => simpleParser(messages[i]!.source, { keepCidLinks: true });
    const [gmail, persian, russian, ukrainian, arabic, inline, files] = await Promise.all(
      messages.map((_, i) => parse(i)),
    );

    expect(gmail!.inReplyTo).toBe('<sent-1@example.com>');
    expect(gmail!.subject).toBe('Re: Your order #4521');

    expect(persian!.subject).toBe(CHARSET_TEXT.persian.subject);
    expect(persian!.from?.value[0]?.name).toBe(CHARSET_TEXT.persian.from);
    expect(persian!.text).toBe(CHARSET_TEXT.persian.text);
    expect(persian!.html).toContain('سفارش شماره 4521');

    expect(russian!.subject).toBe('Не работает оплата картой');
    expect(russian!.from?.value[0]?.name).toBe(CHARSET_TEXT.russian.from);
    expect(russian!.text).toBe(CHARSET_TEXT.russian.text);

    expect(ukrainian!.subject).toBe(CHARSET_TEXT.ukrainian.subject);
    expect(ukrainian!.text).toBe(CHARSET_TEXT.ukrainian.text);
    expect(arabic!.subject).toBe(CHARSET_TEXT.arabic.subject);
    expect(arabic!.text).toBe(CHARSET_TEXT.arabic.text);

    const logo = inline!.attachments[0];
    expect(logo?.cid).toBe(INLINE_IMAGE_CID);
    expect(logo?.contentType).toBe('image/png');
    expect(logo?.related).toBe(true);
    expect(inline!.html).toContain(`src="cid:${INLINE_IMAGE_CID}"`);

    const [pdf, png] = files!.attachments;
    expect(pdf?.filename).toBe('invoice-4521.pdf');
    expect(pdf?.content.subarray(0, 8).toString()).toBe('%PDF-1.4');
    expect(png?.contentType).toBe('image/png');
    expect(png?.content.subarray(1, 4).toString()).toBe('PNG');
  });

  it('keeps users apart', async () => {
    const status = await withImap(bob.imapUrl, (client) =>
      client.status('INBOX', { messages: true }),
    );
    expect(status && status.messages).toBe(0);
    const wrongPassword = alice.imapUrl.replace(alice.password, bob.password);
    await expect(connectImap(wrongPassword)).rejects.toThrow();
  });

  it('changes UIDVALIDITY of INBOX and of a re-created folder', async () => {
    const { before, after } = await bumpUidValidity(alice.imapUrl);
    expect(after).not.toBe(before);
    expect(await getUidValidity(alice.imapUrl)).toBe(after);

    const archive = mailboxUrl(alice.imapUrl, 'Archive');
    await recreateMailbox(archive);
    await appendMessage(archive, loadEmailFixture('no-message-id.eml'));
    const first = await getUidValidity(archive);
    await recreateMailbox(archive);
    expect(await getUidValidity(archive)).not.toBe(first);
    const status = await withImap(archive, (client) =>
      client.status('Archive', { messages: true }),
    );
    expect(status && status.messages).toBe(0);
  });

  it('cuts a connection in the middle of a FETCH through the proxy', async () => {
    const proxy = await startImapProxy(dovecot().port);
    try {
      const client = await connectImap(proxy.via(alice.imapUrl));
      await client.mailboxOpen('INBOX');
      const cut = proxy.cutOnServerData(/\* \d+ FETCH/);
      const fetching = client.fetchOne('7', { uid: true, source: true }, { uid: true });
      await expect(fetching).rejects.toMatchObject({ code: 'NoConnection' });
      await cut;
      expect(client.usable).toBe(false);

      // A new connection through the same proxy works again.
      const again = await withImap(proxy.via(alice.imapUrl), async (c) => {
        await c.mailboxOpen('INBOX');
        return c.fetchOne('7', { uid: true, source: true }, { uid: true });
      });
      expect(again && again.source?.length).toBeGreaterThan(5000);

      // cutAll drops every open connection at once.
      const idle = await Promise.all([1, 2].map(() => connectImap(proxy.via(bob.imapUrl))));
      const closed = idle.map((c) => new Promise<void>((resolve) => c.once('close', resolve)));
      expect(proxy.openConnections).toBe(2);
      proxy.cutAll();
      await Promise.all(closed);
    } finally {
      await proxy.close();
    }
  });
});

describe('SMTP sink', () => {
  let sink: SmtpSink;
  let transport: Transporter;

  beforeAll(async () => {
    sink = await startSmtpSink();
    transport = nodemailer.createTransport(sink.smtpUrl);
  });
  afterAll(async () => {
    transport.close();
    await sink.close();
  });

  it('records what nodemailer sends, raw and parsed', async () => {
    await transport.sendMail({
      from: 'Acme Support <support@example.com>',
      to: 'alice.martin@example.org',
      subject: 'Re: Your order #4521',
      messageId: '<reply-2@example.com>',
      inReplyTo: '<alice-1@example.org>',
      references: ['<sent-1@example.com>', '<alice-1@example.org>'],
      text: 'We are looking into it.',
      html: '<p>We are looking into it.</p>',
      attachments: [{ filename: 'label.txt', content: 'ZX-4521-0099' }],
    });
    const mail = await sink.waitFor((m) => m.messageId === '<reply-2@example.com>');
    expect(mail.envelope).toEqual({
      from: 'support@example.com',
      to: ['alice.martin@example.org'],
    });
    expect(mail.authUser).toBe(sink.user);
    expect(mail.inReplyTo).toBe('<alice-1@example.org>');
    expect(mail.references).toEqual(['<sent-1@example.com>', '<alice-1@example.org>']);
    expect(mail.subject).toBe('Re: Your order #4521');
    expect(mail.text?.trim()).toBe('We are looking into it.');
    expect(mail.html).toContain('<p>We are looking into it.</p>');
    expect(mail.attachments[0]?.content.toString()).toBe('ZX-4521-0099');
    expect(mail.raw.toString()).toContain('Message-ID: <reply-2@example.com>');
  });

  it('answers 451 and then 550 when told to, and accepts again after', async () => {
    sink.failNext(1, { code: 451, message: '4.3.0 Try again later' });
    sink.failNext(1, { code: 550, message: '5.7.1 Message refused' });
    const send = (subject: string) =>
      transport.sendMail({
        from: 'support@example.com',
        to: 'bob.stone@example.org',
        subject,
        text: 'x',
      });
    await expect(send('first')).rejects.toMatchObject({ responseCode: 451, code: 'EMESSAGE' });
    await expect(send('second')).rejects.toMatchObject({ responseCode: 550, code: 'EMESSAGE' });
    await send('third');
    expect(sink.rejected.map((r) => [r.subject, r.failure.code])).toEqual([
      ['first', 451],
      ['second', 550],
    ]);
    await expect(sink.waitFor((m) => m.subject === 'third', 1000)).resolves.toBeDefined();
    expect(sink.messages.some((m) => m.subject === 'first' || m.subject === 'second')).toBe(false);
  });

  it('refuses a wrong password', async () => {
    const wrong = nodemailer.createTransport(sink.smtpUrl.replace(sink.password, 'wrong'));
    await expect(
      wrong.sendMail({ from: 'support@example.com', to: 'a@example.org', text: 'x' }),
    ).rejects.toMatchObject({ code: 'EAUTH', responseCode: 535 });
    wrong.close();
  });
});
