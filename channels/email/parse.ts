import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type Attachment, type ParsedMail } from 'mailparser';
import type { InboundAttachment, InboundMessage, ParsedEvent } from '../types';
import {
  autoReplyReason,
  isDeliveryReport,
  isMailerDaemon,
  parseDeliveryReport,
  type DeliveryReport,
} from './classify';
import { splitReply } from './reply';
import { sanitizeEmailHtml } from './sanitize';
import {
  messageIdsOf,
  normalizeMessageId,
  parseOurMessageId,
  subjectKey,
  tokensIn,
} from './threading';

export interface ParseOptions {
  /** The inbox's own addresses (lower case): mail from them is never taken in (no loops). */
  ownAddresses: readonly string[];
  /** Attachments larger than this are kept as `too_large`, without their bytes. */
  maxAttachmentBytes: number;
  /** Recipients kept on the message (To and CC each); the counts say how many there were. */
  maxRecipients?: number;
  /** The same contact's conversation with the same subject takes a message this long. */
  windowDays: number;
  /** When the server received it (IMAP INTERNALDATE); the Date header otherwise. */
  receivedAt?: Date;
}

export interface EmailAddress {
  address: string;
  name?: string;
}

/** What the app and the channel keep of an e-mail on its message (`meta.email`). */
export interface EmailMeta {
  subject: string;
  from: EmailAddress | null;
  replyTo?: EmailAddress;
  to: EmailAddress[];
  cc: EmailAddress[];
  messageId?: string;
  inReplyTo?: string;
  date?: string;
  /** The whole text, quoted history and signature included, when `text` is only the new part. */
  fullText?: string;
  /** What could not be read, e.g. a body lost to malformed MIME. */
  problem?: string;
  /** How many recipients there were, when more than were kept. */
  recipients?: { to: number; cc: number; kept: number };
}

export type ParseOutcome =
  { events: ParsedEvent[]; notes: string[] } | { skipped: string; notes: string[] };

const MAX_PARTICIPANTS = 20;
const MAX_REFERENCES = 30;

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function addresses(field: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const objects = field ? (Array.isArray(field) ? field : [field]) : [];
  const out: EmailAddress[] = [];
  const walk = (items: AddressObject['value']) => {
    for (const item of items) {
      if (item.group) walk(item.group);
      const address = item.address?.trim().toLowerCase();
      if (address && /^[^@\s]+@[^@\s]+$/.test(address))
        out.push({ address, ...(item.name?.trim() ? { name: item.name.trim() } : {}) });
    }
  };
  for (const object of objects) walk(object.value);
  return out;
}

function fileNameOf(a: Attachment, index: number): string {
  if (a.filename) return a.filename;
  if (a.contentType === 'message/rfc822') return 'message.eml';
  if (a.contentType === 'text/rfc822-headers') return 'headers.txt';
  const ext = a.contentType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
  return `attachment-${index + 1}.${ext}`;
}

/**
 * The dedupe key: the Message-ID plus a fingerprint of what the message says, so a redelivery
 * (a restart, a UIDVALIDITY change) is recognised while two different messages from a mailer
 * that reuses one Message-ID are both kept. Without a Message-ID, the fingerprint alone.
 */
function providerIdOf(parsed: ParsedMail, messageId: string | undefined, from: string): string {
  const date = parsed.headers.get('date');
  const fingerprint = sha(
    [
      date instanceof Date ? date.toISOString() : String(date ?? ''),
      from,
      parsed.subject ?? '',
      sha(parsed.text ?? ''),
      sha(typeof parsed.html === 'string' ? parsed.html : ''),
      ...parsed.attachments.map((a) => `${a.checksum}:${a.size}`),
    ].join('\n'),
  ).slice(0, 16);
  return messageId ? `${messageId}#${fingerprint}` : `nomid:${fingerprint}`;
}

function languageOf(parsed: ParsedMail): string | undefined {
  const value = parsed.headers.get('content-language');
  const text = typeof value === 'string' ? value : '';
  const match = /^\s*([a-z]{2,3})\b/i.exec(text);
  return match ? match[1]!.toLowerCase() : undefined;
}

/**
 * One e-mail, as its raw bytes, into the events ingest takes: the customer's message (the new
 * part as `text`, the whole text in `meta.email.fullText`, sanitised HTML, attachments and
 * inline images within the size limit), its threading hints, its auto-reply flag; for a
 * delivery report, the bounce as a message of the failed recipient, the failed status of our
 * message and, when permanent, the address marked undeliverable. Pure (no I/O besides parsing
 * the bytes); never throws for content, only `skipped` with the reason.
 */
export async function parseEmail(raw: Buffer, opts: ParseOptions): Promise<ParseOutcome> {
  const notes: string[] = [];
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, {
      keepCidLinks: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
    });
  } catch (err) {
    return { skipped: `unreadable MIME: ${(err as Error).message}`, notes };
  }
  const own = new Set(opts.ownAddresses.map((a) => a.toLowerCase()));
  const maxRecipients = opts.maxRecipients ?? 50;
  const from = addresses(parsed.from)[0];
  const replyTo = addresses(parsed.replyTo)[0];
  if (!from && !replyTo) return { skipped: 'no sender address', notes };
  if ((from && own.has(from.address)) || (replyTo && own.has(replyTo.address)))
    return { skipped: 'sent from our own address (a copy or a loop)', notes };

  const subject = parsed.subject ?? '';
  const messageId = normalizeMessageId(parsed.messageId);
  const inReplyTo = messageIdsOf(parsed.inReplyTo);
  const references = messageIdsOf(parsed.references);
  // Nearest first: the message answered, then the References chain from its end.
  const refs = [...new Set([...inReplyTo, ...[...references].reverse()])].slice(0, MAX_REFERENCES);
  const allTo = addresses(parsed.to);
  const allCc = addresses(parsed.cc);
  const tooMany = allTo.length + allCc.length > maxRecipients;
  if (tooMany)
    notes.push(
      `${allTo.length + allCc.length} recipients: the first ${maxRecipients} of To and of CC are kept`,
    );
  const to = allTo.slice(0, maxRecipients);
  const cc = allCc.slice(0, maxRecipients);
  const deliveredTo = addresses(parsed.headers.get('delivered-to') as AddressObject | undefined);
  const conversationIds = new Set(
    tokensIn(
      [...allTo, ...allCc, ...deliveredTo].map((a) => a.address),
      subject,
    ),
  );
  for (const ref of refs) {
    const ours = parseOurMessageId(ref);
    if (ours) conversationIds.add(ours.conversationId);
  }

  const autoReply = autoReplyReason(parsed.headers, subject);
  let bounce: DeliveryReport | undefined;
  if (isDeliveryReport(parsed.headers)) {
    bounce = parseDeliveryReport(raw);
    if (!bounce) return { skipped: 'a delivery report without a recipient', notes };
  } else if (isMailerDaemon((from ?? replyTo)!.address)) {
    // A bounce in free text: nobody to attribute it to, and never a customer of its own.
    return { skipped: 'a mail-system message without a delivery report', notes };
  }

  // The customer: Reply-To when given (contact forms send from their own address), else From.
  // A bounce belongs to the recipient that failed, never to the mail system that sent it.
  const sender = bounce
    ? { address: bounce.recipient }
    : ((replyTo && replyTo.address !== from?.address ? replyTo : from) ?? replyTo!);
  if (own.has(sender.address)) return { skipped: 'addressed from our own address', notes };

  const fullText = (parsed.text ?? '').trim();
  const split = bounce ? { text: fullText, trimmed: false } : splitReply(fullText);
  const html =
    typeof parsed.html === 'string' && parsed.html.trim()
      ? sanitizeEmailHtml(parsed.html)
      : undefined;

  const attachments: InboundAttachment[] = parsed.attachments.map((a, i) => {
    const fileName = fileNameOf(a, i);
    const contentId = a.cid ? a.cid.replace(/^<|>$/g, '') : undefined;
    const base = {
      fileName,
      contentType: a.contentType || 'application/octet-stream',
      ...(contentId ? { contentId } : {}),
    };
    if (a.size > opts.maxAttachmentBytes) {
      notes.push(
        `attachment ${fileName} is ${a.size} bytes, over the limit of ${opts.maxAttachmentBytes}: kept as too large, without its bytes`,
      );
      return { ...base, size: a.size };
    }
    return { ...base, data: a.content, size: a.size };
  });

  const participants = tooMany
    ? []
    : cc
        .filter((a) => !own.has(a.address) && a.address !== sender.address)
        .slice(0, MAX_PARTICIPANTS)
        .map((a) => ({
          kind: 'email' as const,
          value: a.address,
          ...(a.name ? { name: a.name } : {}),
        }));
  const replyCc = tooMany
    ? []
    : [...to, ...cc]
        .map((a) => a.address)
        .filter((a) => !own.has(a) && a !== sender.address && !isMailerDaemon(a));

  const email: EmailMeta = {
    subject,
    from: from ?? null,
    ...(replyTo ? { replyTo } : {}),
    to,
    cc,
    ...(messageId ? { messageId } : {}),
    ...(inReplyTo[0] ? { inReplyTo: inReplyTo[0] } : {}),
    ...(parsed.date ? { date: parsed.date.toISOString() } : {}),
    ...(split.trimmed ? { fullText } : {}),
    ...(tooMany ? { recipients: { to: allTo.length, cc: allCc.length, kept: maxRecipients } } : {}),
  };
  if (!fullText && !html && !attachments.length) {
    // Malformed MIME (a boundary that never comes, …): kept, and said so, rather than dropped.
    email.problem = 'no readable body: the message may be malformed';
    notes.push(email.problem);
  }
  const meta: Record<string, unknown> = { email };
  if (autoReply || bounce) {
    meta['autoReply'] = true;
    meta['autoReplyReason'] = autoReply ?? 'delivery report';
  }
  if (bounce) meta['bounce'] = bounce;

  const threadRefs = bounce?.originalMessageId ? [bounce.originalMessageId, ...refs] : refs;
  if (bounce?.originalMessageId) {
    const ours = parseOurMessageId(bounce.originalMessageId);
    if (ours) conversationIds.add(ours.conversationId);
  }
  const language = languageOf(parsed);
  const message: InboundMessage = {
    sender: {
      kind: 'email',
      value: sender.address,
      ...(!bounce && sender.name ? { name: sender.name } : {}),
    },
    providerMessageId: providerIdOf(parsed, messageId, (from ?? replyTo)!.address),
    ...(messageId ? { externalId: messageId } : {}),
    threadKey: subjectKey(subject) || '(no subject)',
    thread: {
      references: threadRefs,
      conversationIds: [...conversationIds],
      windowDays: opts.windowDays,
    },
    subject,
    text: split.text,
    ...(html ? { html } : {}),
    attachments,
    receivedAt: opts.receivedAt ?? parsed.date ?? new Date(),
    channelRef: {
      ...(messageId ? { lastMessageId: messageId } : {}),
      references: [...references, ...(messageId ? [messageId] : [])].slice(-MAX_REFERENCES),
      subject,
      replyTo: sender.address,
      cc: replyCc,
    },
    // An automatic reply or a bounce never becomes what the next reply answers.
    mergeChannelRef: !meta['autoReply'],
    meta,
    ...(participants.length ? { participants } : {}),
    ...(language ? { profile: { language } } : {}),
  };
  const events: ParsedEvent[] = [{ type: 'message', message }];
  if (bounce?.hard) {
    const reason = [bounce.status, bounce.diagnostic].filter(Boolean).join(' ');
    if (bounce.originalMessageId)
      events.push({
        type: 'status',
        providerMessageId: bounce.originalMessageId,
        status: 'failed',
        error: { code: bounce.status, message: bounce.diagnostic ?? 'the message bounced' },
      });
    events.push({
      type: 'identity',
      identity: { kind: 'email', value: bounce.recipient },
      state: 'undeliverable',
      reason: `the address bounced: ${reason}`,
    });
  }
  return { events, notes };
}
