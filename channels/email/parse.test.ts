import { describe, expect, it } from 'vitest';
import type { InboundMessage, ParsedEvent } from '../types';
import {
  AUTO_REPLY_SUBJECTS,
  CHARSET_TEXT,
  INLINE_IMAGE_CID,
  INVALID_CHARSET_TEXT,
} from '../../test/fixtures/email/generate';
import {
  buildLargeAttachmentMessage,
  emailFixtureNames,
  loadEmailFixture,
} from '../../test/helpers/mail/fixtures';
import { parseEmail, type EmailMeta, type ParseOptions } from './parse';

const OURS = '<sb.aaaaaaaaaaaaaaaaaaaaaaaaaa.aaaaaaaaaaaaaaaaaaaaaaaaaa@example.com>';
const options: ParseOptions = {
  ownAddresses: ['support@example.com'],
  maxAttachmentBytes: 1024 * 1024,
  windowDays: 14,
};

async function parse(name: string, opts: Partial<ParseOptions> = {}) {
  return parseEmail(loadEmailFixture(name, { originalMessageId: OURS }), { ...options, ...opts });
}

async function message(name: string, opts: Partial<ParseOptions> = {}): Promise<InboundMessage> {
  const out = await parse(name, opts);
  if ('skipped' in out) throw new Error(`${name} was skipped: ${out.skipped}`);
  const event = out.events.find((e) => e.type === 'message');
  if (event?.type !== 'message') throw new Error(`${name}: no message`);
  return event.message;
}

const email = (m: InboundMessage) => m.meta!['email'] as EmailMeta;

describe('parseEmail over every fixture', () => {
  it.each(emailFixtureNames())('%s: never throws, and says what it did', async (name) => {
    const out = await parse(name);
    if ('skipped' in out) {
      // Only our own message comes back skipped (a copy of what we sent).
      expect(name).toBe('thread-original.eml');
      expect(out.skipped).toMatch(/our own address/);
      return;
    }
    const m = out.events[0];
    expect(m?.type).toBe('message');
    if (m?.type !== 'message') return;
    expect(m.message.sender.kind).toBe('email');
    expect(m.message.sender.value).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(m.message.providerMessageId).toBeTruthy();
    // Stable: the same bytes always give the same provider id (restarts, UIDVALIDITY changes).
    const again = await parse(name);
    expect('events' in again && again.events[0]).toEqual(m);
    if (m.message.html) {
      expect(m.message.html).not.toMatch(/<script|\son\w+=|javascript:/i);
    }
  });
});

describe('charsets', () => {
  const cases = [
    ['charset-persian-windows-1256.eml', CHARSET_TEXT.persian],
    ['charset-russian-koi8-r.eml', CHARSET_TEXT.russian],
    ['charset-ukrainian-windows-1251.eml', CHARSET_TEXT.ukrainian],
    ['charset-arabic-iso-8859-6.eml', CHARSET_TEXT.arabic],
  ] as const;
  it.each(cases)('%s decodes subject, sender and text', async (name, expected) => {
    const m = await message(name);
    expect(m.subject).toBe(expected.subject);
    expect(m.sender.name).toBe(expected.from);
    // The new part: everything before the signature.
    const firstLine = expected.text.split('\n')[0]!;
    expect(m.text.startsWith(firstLine)).toBe(true);
    expect(m.text).not.toContain('-- ');
  });

  it('reads an unknown charset label as UTF-8', async () => {
    const m = await message('charset-invalid-label.eml');
    expect(m.text).toBe(INVALID_CHARSET_TEXT.trim());
  });
});

describe('replies', () => {
  it.each([
    'reply-gmail.eml',
    'reply-outlook.eml',
    'reply-apple-mail.eml',
    'reply-thunderbird.eml',
  ])('%s: the new part as text, the whole in meta, threading by our Message-ID', async (name) => {
    const m = await message(name);
    expect(m.text.startsWith('Thanks Sam, but the tracking page says')).toBe(true);
    expect(m.text).not.toContain('left our warehouse');
    expect(email(m).fullText).toContain('left our warehouse');
    expect(m.thread?.references[0]).toBe(OURS);
    expect(m.thread?.conversationIds).toEqual(['00000000-0000-0000-0000-000000000000']);
    expect(m.threadKey).toBe('your order #4521');
    expect(m.externalId).toMatch(/^<.+>$/);
    expect(m.providerMessageId.startsWith(`${m.externalId}#`)).toBe(true);
    // What the next reply needs: the message answered and the chain.
    expect(m.channelRef).toMatchObject({ lastMessageId: m.externalId, replyTo: m.sender.value });
    expect(m.mergeChannelRef).toBe(true);
  });
});

describe('automatic mail', () => {
  it.each([
    ['autoreply-auto-submitted-en.eml', 'Auto-Submitted: auto-replied'],
    ['autoreply-x-autoreply-ru.eml', 'X-Autoreply'],
    ['autoreply-precedence-bulk-ru.eml', 'Precedence: bulk'],
    ['autoreply-subject-only-fa.eml', 'subject'],
  ])('%s is an auto-reply (%s) that never moves the thread', async (name, reason) => {
    const m = await message(name);
    expect(m.meta).toMatchObject({ autoReply: true, autoReplyReason: reason });
    expect(m.mergeChannelRef).toBe(false);
    expect(Object.values(AUTO_REPLY_SUBJECTS)).toContain(m.subject);
  });

  it('a hard bounce: the failed recipient’s message, our reply failed, the address undeliverable', async () => {
    const out = await parse('bounce-hard-5.1.1.eml');
    if ('skipped' in out) throw new Error(out.skipped);
    const [m, status, identity] = out.events as [ParsedEvent, ParsedEvent, ParsedEvent];
    expect(m.type === 'message' && m.message.sender).toEqual({
      kind: 'email',
      value: 'no.such.user@example.org',
    });
    expect(m.type === 'message' && m.message.meta?.['bounce']).toMatchObject({
      status: '5.1.1',
      hard: true,
      originalMessageId: OURS,
    });
    expect(status).toMatchObject({ type: 'status', providerMessageId: OURS, status: 'failed' });
    expect(identity).toMatchObject({
      type: 'identity',
      identity: { kind: 'email', value: 'no.such.user@example.org' },
      state: 'undeliverable',
    });
  });

  it('a soft bounce: stored and marked, nothing failed', async () => {
    const out = await parse('bounce-soft-4.2.2.eml');
    if ('skipped' in out) throw new Error(out.skipped);
    expect(out.events.map((e) => e.type)).toEqual(['message']);
    const m = out.events[0]!;
    expect(m.type === 'message' && m.message.meta?.['bounce']).toMatchObject({
      status: '4.2.2',
      hard: false,
      recipient: 'full.mailbox@example.org',
    });
  });

  it('mail from our own address is skipped', async () => {
    const out = await parse('thread-original.eml');
    expect(out).toMatchObject({ skipped: expect.stringMatching(/own address/) });
  });
});

describe('attachments and limits', () => {
  it('keeps files and inline images with their Content-ID', async () => {
    const m = await message('attachments-pdf-and-image.eml');
    expect(m.attachments.map((a) => [a.fileName, a.contentType, a.data?.length])).toEqual([
      ['invoice-4521.pdf', 'application/pdf', 659],
      ['kettle.png', 'image/png', expect.any(Number)],
    ]);
    const inline = await message('inline-image-cid.eml');
    expect(inline.attachments[0]).toMatchObject({ contentId: INLINE_IMAGE_CID });
    expect(inline.html).toContain(`src="cid:${INLINE_IMAGE_CID}"`);
  });

  it('keeps a file over the limit as its size only, and says so', async () => {
    const out = await parseEmail(buildLargeAttachmentMessage(), options);
    if ('skipped' in out) throw new Error(out.skipped);
    const m = out.events[0]!;
    if (m.type !== 'message') throw new Error('no message');
    expect(m.message.attachments).toEqual([
      { fileName: 'delivery.mp4', contentType: 'video/mp4', size: 30 * 1024 * 1024 },
    ]);
    expect(out.notes.join()).toMatch(/over the limit/);
  });

  it('keeps 50 of 2,000 recipients and makes no contacts of a mass mailing', async () => {
    const m = await message('many-recipients.eml');
    expect(email(m).to).toHaveLength(50);
    expect(email(m).cc).toHaveLength(50);
    expect(email(m).recipients).toEqual({ to: 1500, cc: 500, kept: 50 });
    expect(m.participants).toBeUndefined();
  });

  it('tells two messages with one Message-ID apart, and gives one without any a stable id', async () => {
    const a = await message('duplicate-message-id-a.eml');
    const b = await message('duplicate-message-id-b.eml');
    expect(a.externalId).toBe(b.externalId);
    expect(a.providerMessageId).not.toBe(b.providerMessageId);
    const none = await message('no-message-id.eml');
    expect(none.externalId).toBeUndefined();
    expect(none.providerMessageId).toMatch(/^nomid:[0-9a-f]{16}$/);
    // A contact form: the customer is the Reply-To.
    expect(none.sender).toEqual({
      kind: 'email',
      value: 'hanna.berg@example.org',
      name: 'Hanna Berg',
    });
  });

  it('keeps a message with broken MIME and says what is wrong', async () => {
    const m = await message('malformed-boundary-mismatch.eml');
    expect(email(m).problem).toMatch(/malformed/);
    const cut = await message('malformed-missing-end-boundary.eml');
    expect(cut.text).toContain('looks wrong');
  });
});

describe('participants', () => {
  it('turns CC addresses (not ours, not the sender) into participants and reply-all targets', async () => {
    const raw = Buffer.from(
      [
        'From: Carol <carol@example.org>',
        'To: support@example.com, Dan <dan@example.org>',
        'Cc: Dave Miller <dave@example.org>, support@example.com',
        'Subject: Team order',
        'Message-ID: <team-1@example.org>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Hello',
      ].join('\r\n'),
    );
    const out = await parseEmail(raw, options);
    if ('skipped' in out) throw new Error(out.skipped);
    const m = out.events[0]!;
    if (m.type !== 'message') throw new Error('no message');
    expect(m.message.participants).toEqual([
      { kind: 'email', value: 'dave@example.org', name: 'Dave Miller' },
    ]);
    expect(m.message.channelRef?.['cc']).toEqual(['dan@example.org', 'dave@example.org']);
  });
});
