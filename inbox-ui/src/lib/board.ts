import type { Conversation } from '../api/types';
import { slaSummary, type SlaMarks, type SlaTone } from './sla';

export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];

export interface BoardCard {
  conversation: Conversation;
  /** Since the conversation began. */
  ageMs: number;
  tone: SlaTone | null;
}

export interface BoardColumn {
  level: Level;
  cards: BoardCard[];
  breached: number;
  warning: number;
}

const clampLevel = (level: number): Level =>
  level >= 4 ? 4 : level <= 1 ? 1 : level === 2 ? 2 : 3;

/**
 * The supervisor's board: escalated conversations in one column per level (1–4), the most
 * urgent first in each (breached, then warning, then by age, oldest first), with counts of
 * clocks in trouble for the column's header. Resolved conversations and level 0 are left out.
 */
export function groupBoard(
  conversations: readonly Conversation[],
  now: number,
  marks: Readonly<Record<string, SlaMarks>> = {},
): BoardColumn[] {
  const columns = LEVELS.map((level) => ({
    level,
    cards: [] as BoardCard[],
    breached: 0,
    warning: 0,
  }));
  for (const c of conversations) {
    if (c.level < 1 || c.status === 'resolved') continue;
    const since = Date.parse(c.createdAt);
    const tone = slaSummary(c, now, marks[c.id])?.tone ?? null;
    const column = columns[clampLevel(c.level) - 1]!;
    column.cards.push({ conversation: c, ageMs: Math.max(0, now - since), tone });
    if (tone === 'breached') column.breached++;
    if (tone === 'warning') column.warning++;
  }
  const urgency = (t: SlaTone | null) => (t === 'breached' ? 2 : t === 'warning' ? 1 : 0);
  for (const column of columns)
    column.cards.sort((a, b) => urgency(b.tone) - urgency(a.tone) || b.ageMs - a.ageMs);
  return columns;
}
