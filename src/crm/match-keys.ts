import anyAscii from 'any-ascii';
import type { CountryCode } from 'libphonenumber-js';
import { normalizePhone } from '../../channels/twilio/phone';

/**
 * Keys that make two forms of one customer's e-mail, phone or name equal, and a name similarity
 * that works across Latin, Cyrillic and Persian/Arabic script.
 */

const GMAIL = new Set(['gmail.com', 'googlemail.com']);

/**
 * One e-mail address in all its forms: case, a `+tag` in the local part, and for Gmail the dots
 * (Gmail ignores them) and googlemail.com. Null when it is no address.
 */
export function emailKey(raw: string): string | null {
  const text = raw.trim().toLowerCase();
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1 || /\s/.test(text)) return null;
  let local = text.slice(0, at);
  let domain = text.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL.has(domain)) {
    domain = 'gmail.com';
    local = local.replace(/\./g, '');
  }
  if (!local || !domain.includes('.')) return null;
  return `${local}@${domain}`;
}

/**
 * One phone number in all its forms: E.164 from what people type (spaces, `00`, Persian and
 * Arabic-Indic digits) and a national number (leading 0) read in `country`.
 */
export function phoneKey(raw: string, country?: CountryCode): string | null {
  return normalizePhone(raw, country) ?? null;
}

/**
 * Persian and Arabic letters as Persian speakers say them (any-ascii follows Arabic, where ض is
 * "d"; Iranians write Rezaei for رضایی). Short vowels are not written, so the keys compare
 * consonants only. A final ه is the vowel e (فاطمه: Fatemeh).
 */
const PERSIAN: Record<string, string> = {
  ا: 'a',
  آ: 'a',
  أ: 'a',
  إ: 'e',
  ء: '',
  ئ: 'y',
  ؤ: 'v',
  ب: 'b',
  پ: 'p',
  ت: 't',
  ث: 's',
  ج: 'j',
  چ: 'ch',
  ح: 'h',
  خ: 'kh',
  د: 'd',
  ذ: 'z',
  ر: 'r',
  ز: 'z',
  ژ: 'zh',
  س: 's',
  ش: 'sh',
  ص: 's',
  ض: 'z',
  ط: 't',
  ظ: 'z',
  ع: '',
  غ: 'gh',
  ف: 'f',
  ق: 'gh',
  ک: 'k',
  ك: 'k',
  گ: 'g',
  ل: 'l',
  م: 'm',
  ن: 'n',
  و: 'v',
  ه: 'h',
  ة: 'e',
  ی: 'y',
  ي: 'y',
  ى: 'a',
};

function persianToLatin(word: string): string {
  let out = '';
  const chars = [...word];
  chars.forEach((ch, i) => {
    if (ch === 'ه' && i === chars.length - 1 && i > 0) out += 'e';
    // و is v at the start, after a long a, or before a vowel letter (Vahid, Kaveh, Javad,
    // Mousavi); between consonants it is the vowel u/o (Hooman, Roshan).
    else if (ch === 'و')
      out +=
        i === 0 || 'اآ'.includes(chars[i - 1]!) || 'اآیي'.includes(chars[i + 1] ?? '') ? 'v' : 'u';
    else {
      const latin = PERSIAN[ch] ?? ch;
      // Two letters must not make one Latin digraph (ز+ه is z-h, not zh; ک+ه is k-h, not kh):
      // an (unwritten) vowel keeps them apart.
      if (
        ch in PERSIAN &&
        ((latin === 'h' && /[kgzscptd]$/.test(out)) || (latin === 'j' && out.endsWith('d')))
      )
        out += 'e';
      out += latin;
    }
  });
  return out;
}

/** The names contacts get when the channel tells none: "Visitor 3F9A1C", "Telegram 4821". */
const DEFAULT_NAME = /^(visitor|telegram|teams)\s+\S+$/i;

/**
 * A name's words in lower-case Latin letters; e-mail addresses (a contact named after its
 * address), words with digits and made-up names drop.
 */
export function latinWords(name: string): string[] {
  // A name made up for the customer (channels/identities.ts) says nothing about them.
  if (DEFAULT_NAME.test(name.trim())) return [];
  const words = name
    .replace(/\S+@\S+/g, ' ')
    .normalize('NFKC')
    // Zero-width (non-)joiners, Arabic diacritics (harakat) and the tatweel carry no letter.
    .replace(/\u200c|\u200d|\u0640|[\u064b-\u065f]/g, '')
    .split(/[\s,.;:()_\-/]+/u)
    .filter((w) => w && !/[\d\u06f0-\u06f9\u0660-\u0669@]/.test(w));
  return words
    .map((w) =>
      // Plain Latin letters (most names) need no transliteration.
      (/^[a-z']+$/i.test(w) ? w : anyAscii(persianToLatin(w))).toLowerCase().replace(/[^a-z]/g, ''),
    )
    .filter(Boolean);
}

/**
 * The consonant skeleton of one Latin word: sounds spelled differently by each script's
 * romanisation become one letter (kh/h, gh/q/g, w/v, c/k, x/ks, ph/f), a final h after a vowel
 * (Fatemeh) drops, then the vowels (and y) drop and doubled letters collapse.
 */
export function skeleton(word: string): string {
  return spelling(word)
    .replace(/[aeiouy]/g, '')
    .replace(/(.)\1+/g, '$1');
}

/** A word with the romanisations' consonant spellings made one, vowels kept (y as i). */
export function spelling(word: string): string {
  let w = word.toLowerCase();
  w = w.replace(/([aeiouy])h$/, '$1');
  w = w
    .replace(/kh/g, 'h')
    .replace(/gh/g, 'g')
    .replace(/q/g, 'g')
    .replace(/ph/g, 'f')
    .replace(/zh/g, 'j')
    .replace(/dj/g, 'j')
    .replace(/ck/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/c(?!h)/g, 'k')
    .replace(/w/g, 'v')
    .replace(/y/g, 'i');
  return w.replace(/(.)\1+/g, '$1');
}

export type Script = 'latin' | 'cyrillic' | 'arabic';

export function scriptOf(name: string): Script {
  if (/[\u0600-\u06ff]/.test(name)) return 'arabic';
  if (/[\u0400-\u04ff]/.test(name)) return 'cyrillic';
  return 'latin';
}

export interface NameKey {
  /** Each word's skeleton, sorted, joined by a space: what names across scripts compare by. */
  key: string;
  /** The words' spellings (vowels kept), sorted, joined by a space. */
  full: string;
  script: Script;
}

/** Null for a name that says too little to match on: fewer than two words, or too short. */
export function nameKey(name: string): NameKey | null {
  const words = latinWords(name).filter((w) => skeleton(w).length > 0);
  if (words.length < 2) return null;
  const key = words.map(skeleton).sort().join(' ');
  if (key.replace(/ /g, '').length < 3) return null;
  return { key, full: words.map(spelling).sort().join(' '), script: scriptOf(name) };
}

/**
 * How alike two names' keys are. Across scripts only the consonant skeletons can be compared
 * (Persian writes no short vowels); two names in one script (not Persian) must also be alike
 * with their vowels, so Dedesa is not Desade and Maria is not Mario.
 */
export function nameKeySimilarity(a: NameKey, b: NameKey): number {
  const bones = keySimilarity(a.key, b.key);
  if (!bones || a.script !== b.script || a.script === 'arabic') return bones;
  // With vowels, every word must pass the name threshold itself (Maria/Mario: 0.92).
  return Math.min(bones, keySimilarity(a.full, b.full, NAME_THRESHOLD));
}

/** Jaro-Winkler similarity, 0 (nothing alike) to 1 (equal). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatch = new Array<boolean>(a.length).fill(false);
  const bMatch = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(b.length - 1, i + range);
    for (let j = lo; j <= hi; j++) {
      if (bMatch[j] || a[i] !== b[j]) continue;
      aMatch[i] = true;
      bMatch[j] = true;
      matches++;
      break;
    }
  }
  if (!matches) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatch[i]) continue;
    while (!bMatch[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Names at least this similar (by their keys) are suggested. */
export const NAME_THRESHOLD = 0.93;

/** How alike two names are across scripts (0–1), or null when either says too little. */
export function nameSimilarity(a: string, b: string): number | null {
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (!ka || !kb) return null;
  return nameKeySimilarity(ka, kb);
}

/** Every word must be this alike to its counterpart: one whole other word is another person. */
export const WORD_THRESHOLD = 0.85;

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]),
  );
}

/**
 * How alike two name keys are: word by word (in the order that fits best), the mean of the
 * words' Jaro-Winkler similarities, or 0 when the names have a different number of words or
 * any word is unlike its counterpart (Vipome Mefiba is not Vitepo Mefiba).
 */
export function keySimilarity(a: string, b: string, wordThreshold = WORD_THRESHOLD): number {
  if (a === b) return 1;
  const wa = a.split(' ');
  const wb = b.split(' ');
  if (wa.length !== wb.length) return 0;
  let best = 0;
  for (const order of wa.length <= 4 ? permutations(wb) : [wb]) {
    const scores = wa.map((w, i) => jaroWinkler(w, order[i]!));
    if (Math.min(...scores) < wordThreshold) continue;
    best = Math.max(best, scores.reduce((x, y) => x + y, 0) / scores.length);
  }
  return best;
}
