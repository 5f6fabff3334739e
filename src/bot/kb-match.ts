import type { BotLanguage, PerLanguage } from '../db/schema';
import { normalizeForSearch } from '../search/normalize';

export interface KbEntry {
  id: string;
  questions: PerLanguage<string[]>;
  answers: PerLanguage<string>;
}

export interface KbMatch {
  entryId: string;
  answer: string;
  /** 0..1: how much of the customer's question and the best variant overlap. */
  score: number;
}

/** Below this, the bot says it has no answer rather than guess. */
export const KB_THRESHOLD = 0.5;

// Words that carry no meaning for matching a question, folded like search.
const STOP = new Set(
  [
    'a an the is are do does i my me you your to of in on for what how where when can please',
    'я мой моя мои вы ваш как где когда что это ли у в на с по можно пожалуйста мне',
    'من از به در با که را این آن چه چطور کجا کی آیا است هست لطفا برای می',
  ]
    .join(' ')
    .split(' ')
    .map(normalizeForSearch),
);

function tokens(text: string): string[] {
  return normalizeForSearch(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !STOP.has(w));
}

/** Two words are the same when one is the other plus a short ending («доставка»/«доставки»). */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return (
    short.length >= 4 && long.startsWith(short.slice(0, -1)) && long.length - short.length <= 3
  );
}

/** Dice overlap of the meaningful words, each word matched at most once. */
export function similarity(question: string, variant: string): number {
  const a = tokens(question);
  const b = tokens(variant);
  if (!a.length || !b.length) return 0;
  if (a.join(' ') === b.join(' ')) return 1;
  const used = new Set<number>();
  let common = 0;
  for (const w of a) {
    const i = b.findIndex((v, n) => !used.has(n) && sameWord(w, v));
    if (i >= 0) {
      used.add(i);
      common++;
    }
  }
  return (2 * common) / (a.length + b.length);
}

/** The best answer in the customer's language, if it is good enough. */
export function matchKb(
  entries: readonly KbEntry[],
  language: BotLanguage,
  question: string,
  threshold = KB_THRESHOLD,
): KbMatch | null {
  let best: KbMatch | null = null;
  for (const entry of entries) {
    const answer = entry.answers[language];
    if (!answer?.trim()) continue;
    for (const variant of entry.questions[language] ?? []) {
      const score = similarity(question, variant);
      if (score >= threshold && (!best || score > best.score))
        best = { entryId: entry.id, answer, score };
    }
  }
  return best;
}
