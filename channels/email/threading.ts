/**
 * Pure threading helpers: the normalised subject a thread is known by, the reply token that
 * names a conversation, and our own Message-IDs (which carry the conversation, the message and
 * the token, so a reply or a bounce finds its way back even when headers were mangled).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// RFC 4648 base32 in lower case: tokens survive servers and clients that change the case of
// addresses and subjects.
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A conversation (or message) id as a 26-letter token, safe in addresses and subjects. */
export function encodeToken(uuid: string): string {
  if (!UUID.test(uuid)) throw new Error(`not a UUID: ${uuid}`);
  const bytes = Buffer.from(uuid.replace(/-/g, ''), 'hex');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The UUID a token stands for, or undefined when it is not one of ours. */
export function decodeToken(token: string): string | undefined {
  const t = token.toLowerCase();
  if (!/^[a-z2-7]{26}$/.test(t)) return undefined;
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const ch of t) {
    value = ((value << 5) | BASE32.indexOf(ch)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (bytes.length !== 16) return undefined;
  const hex = Buffer.from(bytes).toString('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  // Only a canonical token: the spare bits of the last letter must be zero.
  return encodeToken(uuid) === t ? uuid : undefined;
}

/** `<id>` with the brackets, spaces and folding removed inside; undefined for nothing usable. */
export function normalizeMessageId(value: string | undefined | null): string | undefined {
  if (!value) return undefined;
  const inner = value.trim().replace(/^<|>$/g, '').replace(/\s+/g, '');
  if (!inner || inner.length > 900) return undefined;
  return `<${inner}>`;
}

/** Every `<…>` id in an In-Reply-To / References header value (or a list of them). */
export function messageIdsOf(value: string | string[] | undefined | null): string[] {
  if (!value) return [];
  const text = Array.isArray(value) ? value.join(' ') : value;
  const found = text.match(/<[^<>\s]+>/g) ?? [];
  const ids = found.map((id) => normalizeMessageId(id)).filter((id): id is string => !!id);
  // Some clients put a bare id in In-Reply-To.
  if (!ids.length && text.trim() && !/\s/.test(text.trim())) {
    const bare = normalizeMessageId(text);
    if (bare) ids.push(bare);
  }
  return [...new Set(ids)];
}

export interface OurMessageId {
  conversationId: string;
  messageId: string;
}

/**
 * Our Message-ID for an outbound message: `<sb.<conversation token>.<message token>@<domain>>`.
 * The conversation token doubles as the reply token.
 */
export function ourMessageId(ids: OurMessageId, domain: string): string {
  return `<sb.${encodeToken(ids.conversationId)}.${encodeToken(ids.messageId)}@${domain}>`;
}

/** The conversation and message an id of ours names; undefined for anyone else's id. */
export function parseOurMessageId(id: string): OurMessageId | undefined {
  const match = /^<?sb\.([a-z2-7]{26})\.([a-z2-7]{26})@[^>]+>?$/i.exec(id.trim());
  if (!match) return undefined;
  const conversationId = decodeToken(match[1]!);
  const messageId = decodeToken(match[2]!);
  return conversationId && messageId ? { conversationId, messageId } : undefined;
}

/** `support+sb-<token>@example.com`: the inbox's address with a conversation's reply token. */
export function tokenAddress(address: string, conversationId: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return address;
  return `${address.slice(0, at)}+sb-${encodeToken(conversationId)}${address.slice(at)}`;
}

/** `[sb-<token>]`: the reply token as it may appear in a subject. */
export function subjectToken(conversationId: string): string {
  return `[sb-${encodeToken(conversationId)}]`;
}

const TOKEN_IN_ADDRESS = /\+sb-([a-z2-7]{26})@/i;
const TOKEN_IN_SUBJECT = /\[sb-([a-z2-7]{26})\]/i;

/** Conversation ids named by reply tokens in these addresses or this subject. */
export function tokensIn(addresses: readonly string[], subject: string | undefined): string[] {
  const out = new Set<string>();
  for (const address of addresses) {
    const match = TOKEN_IN_ADDRESS.exec(address);
    const id = match ? decodeToken(match[1]!) : undefined;
    if (id) out.add(id);
  }
  const inSubject = subject ? TOKEN_IN_SUBJECT.exec(subject) : null;
  const fromSubject = inSubject ? decodeToken(inSubject[1]!) : undefined;
  if (fromSubject) out.add(fromSubject);
  return [...out];
}

/**
 * Reply and forward prefixes as mail clients write them: English, German (AW, WG), Nordic (SV,
 * VS), Dutch (Antw, Doorst), French (TR), Spanish/Portuguese (RV, ENC), Russian
 * (Ответ, Отв, Пересл), Persian (پاسخ, ارسال مجدد, باز ارسال), Arabic (رد, إعادة توجيه, توجيه),
 * each optionally numbered (`Re[2]:`, `Re(2):`, `Re^2:`) and with an ASCII or full-width colon.
 */
const PREFIX = new RegExp(
  '^\\s*(?:' +
    [
      're',
      'fw',
      'fwd',
      'aw',
      'wg',
      'sv',
      'vs',
      'antw',
      'doorst',
      'tr',
      'rv',
      'enc',
      'ответ',
      'отв',
      'пересл',
      'переслано',
      'fw\\.',
      'پاسخ',
      'ارسال مجدد',
      'باز ارسال',
      'هدایت',
      'رد',
      'إعادة توجيه',
      'توجيه',
    ].join('|') +
    ')\\s*(?:\\[\\d+\\]|\\(\\d+\\)|\\^\\d+)?\\s*[:：]\\s*',
  'iu',
);
/** Tags mail gateways put in front of a subject: `[EXTERNAL]`, `[SPAM]`, our own token. */
const TAG = /^\s*\[(?:external|ext|spam|suspected spam|sb-[a-z2-7]{26})\]\s*/iu;

/**
 * The key a thread's subject is known by: reply/forward prefixes and gateway tags stripped,
 * spaces collapsed, case and the Arabic/Persian letter variants folded. `Re: AW: Ответ: Hello`
 * and `hello` have the same key.
 */
export function subjectKey(subject: string | undefined | null): string {
  let s = (subject ?? '').normalize('NFKC');
  for (;;) {
    const next = s.replace(TAG, '').replace(PREFIX, '');
    if (next === s) break;
    s = next;
  }
  s = s.replace(TOKEN_IN_SUBJECT, ' ');
  return s
    .replace(/[\u064a\u0649]/g, '\u06cc') // Arabic yeh, alef maksura → Persian yeh
    .replace(/\u0643/g, '\u06a9') // Arabic kaf → Persian keheh
    .replace(/\u200c|\u200d|[\u200e\u200f\u202a-\u202e]/g, '') // ZWNJ/ZWJ, direction marks
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase();
}

/** The subject of our reply: the thread's subject with one `Re:` in front. */
export function replySubject(subject: string | undefined | null): string {
  const s = (subject ?? '').trim();
  if (!s) return 'Re:';
  let base = s;
  for (;;) {
    const next = base.replace(PREFIX, '');
    if (next === base) break;
    base = next;
  }
  return `Re: ${base}`;
}
