// Search-term folding for Persian, Arabic and Russian text, mirroring what the server does
// before it compares: the same word typed on an Arabic keyboard (ي ك), with or without a
// half-space (ZWNJ), with Persian or Arabic-Indic digits, or with ё for е must still match.
// The map back to the original string lets the UI highlight the match in the text as written.

const SINGLE: Record<string, string> = {
  '\u064A': '\u06CC', // Arabic yeh → Persian yeh
  '\u0649': '\u06CC', // alef maksura → Persian yeh
  '\u0643': '\u06A9', // Arabic kaf → Persian keheh
  '\u0629': '\u0647', // teh marbuta → heh
  '\u06C0': '\u0647', // heh with yeh above → heh
  '\u0623': '\u0627', // alef with hamza above → alef
  '\u0625': '\u0627', // alef with hamza below → alef
  '\u0671': '\u0627', // alef wasla → alef
  '\u0451': '\u0435', // ё → е
  '\u0401': '\u0435', // Ё → е
};

/** Characters that do not change what a word means for search: joiners, tatweel, vowel marks. */
function isIgnorable(code: number): boolean {
  return (
    code === 0x200c || // ZWNJ (Persian half-space)
    code === 0x200d || // ZWJ
    code === 0x200e || // LRM
    code === 0x200f || // RLM
    code === 0x0640 || // tatweel
    (code >= 0x064b && code <= 0x065f) || // harakat, hamza above/below
    code === 0x0670 // superscript alef
  );
}

function foldDigit(code: number): string | undefined {
  if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0); // Persian
  if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660); // Arabic-Indic
  return undefined;
}

/** Folds one character; '' means the character is dropped. */
export function foldChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (isIgnorable(code)) return '';
  const digit = foldDigit(code);
  if (digit !== undefined) return digit;
  const mapped = SINGLE[ch];
  if (mapped !== undefined) return mapped;
  if (/\s/.test(ch)) return ' ';
  return ch.toLowerCase();
}

export interface FoldedText {
  folded: string;
  /** For each UTF-16 unit of `folded`, the index of the original character it came from. */
  sourceIndex: number[];
}

export function foldWithMap(text: string): FoldedText {
  let folded = '';
  const sourceIndex: number[] = [];
  let i = 0;
  for (const ch of text) {
    let out = foldChar(ch);
    // Runs of whitespace compare as one space.
    if (out === ' ' && folded.endsWith(' ')) out = '';
    for (let k = 0; k < out.length; k++) sourceIndex.push(i);
    folded += out;
    i += ch.length;
  }
  return { folded, sourceIndex };
}

export function foldForSearch(text: string): string {
  return foldWithMap(text).folded.trim();
}

/** Whether `text` contains `query` once both are folded. An empty query matches everything. */
export function matchesSearch(text: string, query: string): boolean {
  const q = foldForSearch(query);
  return q === '' || foldForSearch(text).includes(q);
}

/** Ranges `[start, end)` in the original text where the folded query occurs. */
export function highlightRanges(text: string, query: string): [number, number][] {
  const q = foldForSearch(query);
  if (!q) return [];
  const { folded, sourceIndex } = foldWithMap(text);
  const ranges: [number, number][] = [];
  let from = 0;
  for (;;) {
    const at = folded.indexOf(q, from);
    if (at < 0) break;
    const start = sourceIndex[at] ?? 0;
    const lastSource = sourceIndex[at + q.length - 1] ?? start;
    const lastChar = String.fromCodePoint(text.codePointAt(lastSource) ?? 0);
    ranges.push([start, lastSource + lastChar.length]);
    from = at + q.length;
  }
  return ranges;
}

export interface TextPart {
  text: string;
  match: boolean;
}

/** Splits text into plain and matching parts, for rendering `<mark>` around matches. */
export function splitHighlights(text: string, query: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const [start, end] of highlightRanges(text, query)) {
    if (start > last) parts.push({ text: text.slice(last, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    last = end;
  }
  if (last < text.length || parts.length === 0)
    parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** A window of text around the first match, so a long message shows the relevant part. */
export function snippetAround(text: string, query: string, radius = 60): string {
  const first = highlightRanges(text, query)[0];
  if (!first || text.length <= radius * 2) return text;
  const start = Math.max(0, first[0] - radius);
  const end = Math.min(text.length, first[1] + radius);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}
