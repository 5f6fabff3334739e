import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { ChannelSendError, type OutboundMessage, type SendResult } from '../types';
import { ourMessageId, replySubject, tokenAddress } from './threading';
import { textWithChoices } from '../choices';

/** How an inbox's replies look: who they come from, the signature, the reply token. */
export interface SendSettings {
  from: { address: string; name?: string };
  /** The company's name, shown when the agent's is not (bot, system) or not wanted. */
  companyName: string;
  /** `agent`: "Sam (Acme Support)"; `company`: "Acme Support". */
  senderName: 'agent' | 'company';
  signature: string;
  /** Put the reply token in Reply-To (`support+sb-<token>@…`); needs plus addressing. */
  replyTokenInAddress: boolean;
}

const MAX_REFERENCES = 20;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const stringList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];

function addressList(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v
    .map((a: unknown) => (typeof a === 'string' ? a : isRecord(a) ? a['address'] : undefined))
    .filter((a): a is string => typeof a === 'string' && a.includes('@'));
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );

/** Plain text as HTML paragraphs, every character escaped. */
function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((p) => `<p dir="auto">${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** RFC 5322 3.6.4: keep the first id (the thread's root) and the most recent ones. */
function trimReferences(ids: string[]): string[] {
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))];
}

/** The nodemailer message for a reply: threading headers, recipients, text and HTML. */
export function buildMail(message: OutboundMessage, settings: SendSettings) {
  const ref = message.channelRef ?? {};
  const choice = isRecord(message.meta?.['email']) ? message.meta['email'] : {};
  const domain = settings.from.address.split('@')[1] ?? 'localhost';
  const messageId = ourMessageId(
    { conversationId: message.conversationId, messageId: message.messageId },
    domain,
  );
  const own = settings.from.address.toLowerCase();
  const threadCc = stringList(ref['cc']);
  const to = addressList(choice['to'])?.length
    ? addressList(choice['to'])!
    : [message.recipient.value];
  const cc = (addressList(choice['cc']) ?? (choice['replyAll'] === true ? threadCc : [])).filter(
    (a) => a.toLowerCase() !== own && !to.includes(a),
  );
  const bcc = addressList(choice['bcc']) ?? [];
  const threadSubject =
    typeof ref['subject'] === 'string' ? ref['subject'] : (message.subject ?? '');
  const subject =
    typeof choice['subject'] === 'string' && choice['subject'].trim()
      ? choice['subject'].trim()
      : replySubject(threadSubject);
  const lastMessageId = typeof ref['lastMessageId'] === 'string' ? ref['lastMessageId'] : undefined;
  const references = trimReferences(stringList(ref['references']));
  const name =
    settings.senderName === 'agent' && message.senderName
      ? `${message.senderName} (${settings.companyName})`
      : settings.companyName;
  const signature = settings.signature.trim();
  const body = textWithChoices(message);
  const text = signature ? `${body}\n\n-- \n${signature}` : body;
  const html =
    textToHtml(body) +
    (signature ? `<div class="signature">-- <br>${textToHtml(signature)}</div>` : '');
  return {
    messageId,
    mail: {
      messageId,
      from: { name, address: settings.from.address },
      to,
      ...(cc.length ? { cc } : {}),
      ...(bcc.length ? { bcc } : {}),
      ...(settings.replyTokenInAddress
        ? {
            replyTo: {
              name,
              address: tokenAddress(settings.from.address, message.conversationId),
            },
          }
        : {}),
      subject,
      ...(lastMessageId ? { inReplyTo: lastMessageId } : {}),
      ...(references.length ? { references } : {}),
      text,
      html,
      attachments: message.attachments.map((a) => ({
        filename: a.fileName,
        path: a.path,
        contentType: a.contentType,
      })),
      // RFC 3834: the bot's and the system's messages are automatic; auto-responders should not
      // answer them (and nobody's rules should loop on them).
      ...(message.senderName
        ? {}
        : { headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' } }),
    },
  };
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/**
 * Sends one reply through SMTP. A 4xx answer (or no answer: the server is down, the connection
 * dropped) is retried later; a 5xx fails the message with the server's own words. A recipient
 * the server says does not exist (5.1.x) marks the address undeliverable.
 */
export async function sendEmail(
  transport: Transporter<SMTPTransport.SentMessageInfo>,
  message: OutboundMessage,
  settings: SendSettings,
  signal: AbortSignal,
): Promise<SendResult> {
  if (message.recipient.kind !== 'email')
    throw new ChannelSendError(`e-mail cannot reach a ${message.recipient.kind} identity`, false);
  const { messageId, mail } = buildMail(message, settings);
  if (signal.aborted) throw new ChannelSendError('sending was cancelled', true);
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new ChannelSendError('sending was cancelled', true));
      signal.addEventListener('abort', onAbort, { once: true });
      transport.sendMail(mail).then(
        () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  } catch (err) {
    if (err instanceof ChannelSendError) throw err;
    throw smtpFailure(err as SmtpError);
  }
  // Recorded as the message's provider id: replies and bounces find their way back by it.
  return { providerMessageId: messageId };
}

export function smtpFailure(err: SmtpError): ChannelSendError {
  const code = err.responseCode;
  const said = (err.response ?? err.message).replace(/\s+/g, ' ').trim();
  if (code && code >= 500 && code < 600 && err.code !== 'EAUTH') {
    const unknownRecipient = /\b5\.1\.[0-9]\b/.test(said) && /RCPT/i.test(err.command ?? 'RCPT');
    return new ChannelSendError(`the mail server refused the message: ${said}`, false, {
      code: String(code),
      ...(unknownRecipient ? { identityState: 'undeliverable' as const } : {}),
    });
  }
  if (code && code >= 400 && code < 500)
    return new ChannelSendError(`the mail server asked to try again later: ${said}`, true, {
      code: String(code),
    });
  // No SMTP answer at all (refused, timed out, dropped) or a login problem the admin can fix.
  return new ChannelSendError(`could not hand the message to the mail server: ${said}`, true, {
    ...(err.code ? { code: err.code } : {}),
  });
}
