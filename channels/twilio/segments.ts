/**
 * SMS segments and encoding of a text, as carriers (and Twilio) count them. Pure and without
 * dependencies: the inbox app's composer uses the same function.
 *
 * GSM-7 (GSM 03.38 basic set; the extension characters take two septets, escape + character):
 * 160 septets fit one SMS, a longer text is split into parts of 153 (the rest of each part holds
 * the concatenation header). Any other character (a Persian or Russian letter, an emoji, a curly
 * quote) makes the whole text UCS-2: 70 UTF-16 units in one SMS, 67 per part. A part boundary
 * never splits an escape pair or a surrogate pair; the character moves to the next part.
 */

const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes. */
  units: number;
  /** SMS parts the text is sent as (0 for an empty text): what it costs. */
  segments: number;
  /** Units one part holds at this length: 160/153 (GSM-7) or 70/67 (UCS-2). */
  perSegment: number;
  /** Units still free in the last part before another part is needed. */
  remaining: number;
  /** The distinct characters that forced UCS-2, in order of appearance (at most 5). */
  unicodeCharacters: string[];
}

export function isGsm7(char: string): boolean {
  return GSM_BASIC.has(char) || GSM_EXTENSION.has(char);
}

/** Packs characters of the given widths into parts of `size` units without splitting one. */
function pack(widths: number[], size: number): { parts: number; lastUsed: number } {
  let parts = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > size) {
      parts++;
      used = 0;
    }
    used += w;
  }
  return { parts, lastUsed: used };
}

export function smsSegments(text: string): SegmentInfo {
  const chars = [...text];
  const unicode: string[] = [];
  for (const c of chars)
    if (!isGsm7(c) && !unicode.includes(c) && unicode.length < 5) unicode.push(c);
  const gsm = chars.every(isGsm7);
  const widths = chars.map((c) => (gsm ? (GSM_EXTENSION.has(c) ? 2 : 1) : c.length));
  const units = widths.reduce((a, b) => a + b, 0);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  if (units === 0)
    return {
      encoding,
      units,
      segments: 0,
      perSegment: single,
      remaining: single,
      unicodeCharacters: [],
    };
  if (units <= single)
    return {
      encoding,
      units,
      segments: 1,
      perSegment: single,
      remaining: single - units,
      unicodeCharacters: unicode,
    };
  const { parts, lastUsed } = pack(widths, multi);
  return {
    encoding,
    units,
    segments: parts,
    perSegment: multi,
    remaining: multi - lastUsed,
    unicodeCharacters: unicode,
  };
}
