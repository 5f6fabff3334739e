import { normalizeForSearch } from '../search/normalize';

/**
 * Keyword matching for rules, in Persian, Russian and English: the text and the keywords are
 * folded the same way as search (src/search/normalize.ts), cut into words, and a keyword
 * matches a word when the word is the keyword plus one of its language's endings. So «суд»
 * matches «суда», «судом», «в суде» but not «судно» or «посуда»; «court» matches «courts» but
 * not «courtesy»; «وکیل» matches «وکیلم» and «وکیل‌ها». A keyword of several words matches
 * those words in a row (endings allowed on each). The language of a keyword is its script.
 */

type Script = 'cyrillic' | 'arabic' | 'latin' | 'other';

// Endings a word may add to a keyword's stem, longest first (the first that fits is enough).
const ENDINGS: Record<Script, string[]> = {
  // Noun and adjective case endings, singular and plural, and the reflexive verb forms that a
  // stem like «суди» (судиться) needs.
  cyrillic: [
    'ами',
    'ями',
    'ого',
    'ему',
    'ыми',
    'ими',
    'ться',
    'тся',
    'ешь',
    'ете',
    'ов',
    'ев',
    'ей',
    'ам',
    'ям',
    'ах',
    'ях',
    'ом',
    'ем',
    'ой',
    'ою',
    'ую',
    'ая',
    'ое',
    'ые',
    'ий',
    'ый',
    'ть',
    'ат',
    'ят',
    'у',
    'ю',
    'а',
    'я',
    'е',
    'ы',
    'и',
    'ь',
    'о',
    '',
  ],
  // Plural, possessive and indefinite suffixes, written joined (ZWNJ is folded away).
  arabic: [
    'هایمان',
    'هایتان',
    'هایشان',
    'هایم',
    'هایت',
    'هایش',
    'هایی',
    'های',
    'ها',
    'مان',
    'تان',
    'شان',
    'یی',
    'ای',
    'ام',
    'ات',
    'اش',
    'ی',
    'م',
    'ت',
    'ش',
    '',
  ],
  latin: ["'s", 'ies', 'es', 's', 'ed', 'd', 'ing', ''],
  other: [''],
};

function scriptOf(word: string): Script {
  if (/[\u0400-\u04FF]/.test(word)) return 'cyrillic';
  if (/[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]/.test(word)) return 'arabic';
  if (/[a-z]/.test(word)) return 'latin';
  return 'other';
}

/**
 * Words of folded text: letters and digits, in order. A ZWNJ separates words here (search
 * joins across it): «مصرف‌کننده» is the same two words whether typed with it or a space.
 */
export function words(text: string): string[] {
  return normalizeForSearch(text.replace(/\u200C/g, ' ')).match(/[\p{L}\p{N}]+/gu) ?? [];
}

function wordMatches(word: string, stem: string): boolean {
  if (!word.startsWith(stem)) return false;
  const rest = word.slice(stem.length);
  return ENDINGS[scriptOf(stem)].includes(rest);
}

export interface CompiledKeyword {
  /** As the admin wrote it. */
  keyword: string;
  stems: string[];
}

/**
 * A Russian keyword is usually written in its dictionary form («прокуратура», «полиция»): its
 * last vowel or soft sign is an ending, not part of the stem the case forms share.
 */
function stemOf(word: string): string {
  if (scriptOf(word) === 'cyrillic' && word.length > 4 && /[аяьоеыий]$/.test(word))
    return word.slice(0, -1);
  return word;
}

export function compileKeywords(keywords: readonly string[]): CompiledKeyword[] {
  return keywords
    .map((keyword) => ({ keyword, stems: words(keyword).map(stemOf) }))
    .filter((k) => k.stems.length > 0);
}

/**
 * The words of the text judged last: every rule of an event looks at the same message, so it
 * is folded and split once, not once per rule.
 */
let last: { text: string; tokens: readonly string[] } | undefined;
function tokensOf(text: string): readonly string[] {
  if (last?.text !== text) last = { text, tokens: words(text) };
  return last.tokens;
}

/** The keywords found in `text` (each once), in the order given. */
export function findKeywords(text: string, keywords: readonly CompiledKeyword[]): string[] {
  const tokens = tokensOf(text);
  const found: string[] = [];
  for (const k of keywords) {
    const n = k.stems.length;
    for (let i = 0; i + n <= tokens.length; i++) {
      let all = true;
      for (let j = 0; j < n && all; j++) all = wordMatches(tokens[i + j]!, k.stems[j]!);
      if (all) {
        found.push(k.keyword);
        break;
      }
    }
  }
  return found;
}
