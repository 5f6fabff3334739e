/**
 * Folds text so that what a person types finds what a customer wrote, in Persian, Russian and
 * English: Arabic yeh/kaf (ي ك ى) and Persian (ی ک) match, ZWNJ and Arabic diacritics are
 * dropped, Persian and Arabic-Indic digits become ASCII, ё matches е, case is folded (NFKC).
 */
const CHAR_MAP: Record<string, string> = {
  ي: 'ی',
  ى: 'ی',
  ئ: 'ی',
  ك: 'ک',
  ة: 'ه',
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ؤ: 'و',
  ё: 'е',
};

const DIGITS = /[\u06F0-\u06F9\u0660-\u0669]/g;
// ZWNJ, ZWJ, tatweel and combining marks (Arabic harakat, superscript alef); NFKC ran first,
// so letters such as й are already composed and keep their mark.
const IGNORABLE = /\u200C|\u200D|\u0640|\p{Mn}/gu;
const MAPPED = new RegExp(`[${Object.keys(CHAR_MAP).join('')}]`, 'g');

export function normalizeForSearch(input: string): string {
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(IGNORABLE, '')
    .replace(DIGITS, (d) => String(digitValue(d)))
    .replace(MAPPED, (c) => CHAR_MAP[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim();
}

function digitValue(d: string): number {
  const code = d.charCodeAt(0);
  return code >= 0x06f0 ? code - 0x06f0 : code - 0x0660;
}

/** Escapes LIKE wildcards so a search for "50%" is literal. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
