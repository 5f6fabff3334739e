import { normalizeForSearch } from '../search/normalize';

/**
 * The customer's answer to "is it solved, and how would you rate us?", in Persian, Russian or
 * English, typed or pressed: yes, no, a rating 1–5 (digits in any script, stars, "4/5"), or
 * nothing we recognise (then the message is just a message). Only short answers count: a long
 * message that happens to contain "no" is the customer writing about their problem.
 */
export type ConfirmationAnswer =
  | { kind: 'yes'; rating?: number }
  | { kind: 'no'; rating?: number }
  | { kind: 'rating'; rating: number }
  | { kind: 'none' };

const YES = new Set([
  'yes',
  'y',
  'yeah',
  'yep',
  'solved',
  'resolved',
  'ok',
  'okay',
  'thanks',
  'thank you',
  'بله',
  'بلی',
  'آره',
  'اره',
  'اری',
  'حل شد',
  'ممنون',
  'مرسی',
  'да',
  'ага',
  'решено',
  'решена',
  'спасибо',
]);

const NO = new Set([
  'no',
  'n',
  'nope',
  'not solved',
  'not resolved',
  'still not',
  'نه',
  'خیر',
  'نخیر',
  'حل نشد',
  'нет',
  'не решено',
  'не решена',
  'не решён',
  'не решен',
]);

/** Button values the question offers (`yes`, `no`, `rate:1`…`rate:5`). */
export const ANSWER_VALUES = { yes: 'yes', no: 'no', rate: (n: number) => `rate:${n}` };

const MAX_ANSWER_CHARS = 40;

export function parseConfirmation(text: string): ConfirmationAnswer {
  const normal = normalizeForSearch(text);
  const button = /^rate:([1-5])$/.exec(normal);
  if (button) return { kind: 'rating', rating: Number(button[1]) };
  const folded = normal
    .replace(/[!.?,;:«»"'()؟،؛]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!folded || folded.length > MAX_ANSWER_CHARS) return { kind: 'none' };
  const stars = [...text].filter((c) => c === '⭐' || c === '★').length;
  if (stars >= 1 && stars <= 5 && folded.replace(/[⭐★\s\uFE0F]/g, '') === '')
    return { kind: 'rating', rating: stars };
  const rated = /(?:^|\s)([1-5])(?:\s*\/\s*5)?(?:\s|$)/.exec(folded);
  const rating = rated ? Number(rated[1]) : undefined;
  const rest = (rated ? folded.replace(rated[0], ' ') : folded).replace(/\s+/g, ' ').trim();
  if (!rest) return rating !== undefined ? { kind: 'rating', rating } : { kind: 'none' };
  const withRating = rating !== undefined ? { rating } : {};
  if (NO.has(rest) || ['👎', '❌'].includes(rest)) return { kind: 'no', ...withRating };
  if (YES.has(rest) || ['👍', '✅'].includes(rest)) return { kind: 'yes', ...withRating };
  // Several words, each an answer word: "да спасибо" is yes, "no thanks" is no.
  const tokens = rest.split(' ');
  if (tokens.length > 1 && tokens.every((t) => YES.has(t) || NO.has(t))) {
    return tokens.some((t) => NO.has(t))
      ? { kind: 'no', ...withRating }
      : { kind: 'yes', ...withRating };
  }
  return { kind: 'none' };
}
