import { normalizeMessageId } from './threading';

/** Header values as mailparser gives them (lower-case names). */
type Headers = ReadonlyMap<string, unknown>;

const headerText = (headers: Headers, name: string): string => {
  const value = headers.get(name);
  if (typeof value === 'string') return value.trim().toLowerCase();
  if (value && typeof value === 'object' && 'value' in value)
    return String((value as { value: unknown }).value)
      .trim()
      .toLowerCase();
  return '';
};

/**
 * Subjects of out-of-office and other automatic replies, in English, Russian and Persian, for
 * the responders that mark nothing in their headers.
 */
const AUTO_SUBJECT = [
  /^\s*(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|auto:|away from (?:the )?office|on vacation|vacation reply|abwesenheitsnotiz)/iu,
  /^\s*(?:автоответ|автоматический ответ|нет на месте|отсутствую|вне офиса|в отпуске)/iu,
  /^\s*(?:پاسخ خودکار|پاسخ اتوماتیک|خارج از دفتر|در مرخصی)/u,
];

/**
 * Why a message was sent by a machine rather than a person (RFC 3834 `Auto-Submitted`, the
 * `X-Autoreply`/`X-Autorespond` headers, `Precedence: bulk/junk/list`, an out-of-office
 * subject), or undefined. Such mail is stored and marked, never answered automatically.
 */
export function autoReplyReason(headers: Headers, subject: string): string | undefined {
  const submitted = headerText(headers, 'auto-submitted');
  if (submitted && submitted !== 'no') return `Auto-Submitted: ${submitted}`;
  if (headers.has('x-autoreply')) return 'X-Autoreply';
  if (headers.has('x-autorespond')) return 'X-Autorespond';
  const precedence = headerText(headers, 'precedence');
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return `Precedence: ${precedence}`;
  if (AUTO_SUBJECT.some((re) => re.test(subject))) return 'subject';
  return undefined;
}

export interface DeliveryReport {
  /** The address that could not be reached. */
  recipient: string;
  /** `failed`, `delayed`, `delivered`, `relayed`, `expanded`. */
  action: string;
  /** Enhanced status code, e.g. `5.1.1`. */
  status: string;
  /** A permanent failure: the address is undeliverable. */
  hard: boolean;
  diagnostic?: string;
  /** The Message-ID of the message that bounced (ours), from the returned message or headers. */
  originalMessageId?: string;
}

/** Whether the message is a delivery status notification (RFC 3464, `multipart/report`). */
export function isDeliveryReport(headers: Headers): boolean {
  const type = headers.get('content-type');
  if (!type || typeof type !== 'object') return false;
  const { value, params } = type as { value?: string; params?: Record<string, string> };
  return (
    value?.toLowerCase() === 'multipart/report' &&
    (params?.['report-type'] ?? '').toLowerCase() === 'delivery-status'
  );
}

const unfold = (s: string) => s.replace(/\r?\n[ \t]+/g, ' ').trim();

/**
 * Reads a delivery report's per-recipient fields and the returned message's Message-ID from
 * the raw message. Works on the bytes because mailparser folds the report into the text.
 */
export function parseDeliveryReport(raw: Buffer): DeliveryReport | undefined {
  const text = raw.toString('latin1');
  const start = text.search(/content-type:\s*message\/(?:global-)?delivery-status/i);
  if (start < 0) return undefined;
  const report = text.slice(start);
  const field = (name: string) => {
    const match = new RegExp(
      `^${name}:[ \\t]*((?:[^\\r\\n]*)(?:\\r?\\n[ \\t]+[^\\r\\n]*)*)`,
      'im',
    ).exec(report);
    return match ? unfold(match[1]!) : undefined;
  };
  const recipientField = field('Final-Recipient') ?? field('Original-Recipient');
  const recipient = recipientField
    ?.replace(/^[^;]*;\s*/, '')
    .replace(/^<|>$/g, '')
    .trim()
    .toLowerCase();
  if (!recipient || !recipient.includes('@')) return undefined;
  const action = (field('Action') ?? '').toLowerCase();
  const status = (field('Status') ?? '').split(/\s/)[0] ?? '';
  const diagnostic = field('Diagnostic-Code')?.replace(/^[^;]*;\s*/, '');
  // The returned message (message/rfc822) or its headers (text/rfc822-headers) follow the report.
  const returned = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^>\r\n]+>)/im.exec(
    report.slice(report.search(/content-type:\s*(?:message\/rfc822|text\/rfc822-headers)/i)),
  );
  const hard = action === 'failed' && status.startsWith('5');
  return {
    recipient,
    action,
    status,
    hard,
    ...(diagnostic ? { diagnostic } : {}),
    ...(returned ? { originalMessageId: normalizeMessageId(returned[1]) } : {}),
  };
}

/** Addresses of mail systems (not people): their mail never starts a customer conversation. */
export function isMailerDaemon(address: string): boolean {
  const local = address.split('@')[0]?.toLowerCase() ?? '';
  return ['mailer-daemon', 'postmaster', 'mail-daemon', 'mailerdaemon'].includes(local);
}
