import { describe, expect, it } from 'vitest';
import { groupBoard } from './board';
import { conversation } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();
const inMinutes = (m: number) => new Date(NOW + m * 60_000).toISOString();

describe('groupBoard', () => {
  it('puts escalated conversations in their level column and leaves out the rest', () => {
    const board = groupBoard(
      [
        conversation('a', { level: 1 }),
        conversation('b', { level: 3 }),
        conversation('c', { level: 0 }),
        conversation('d', { level: 4, status: 'resolved' }),
        conversation('e', { level: 4 }),
      ],
      NOW,
    );
    expect(board.map((col) => [col.level, col.cards.map((k) => k.conversation.id)])).toEqual([
      [1, ['a']],
      [2, []],
      [3, ['b']],
      [4, ['e']],
    ]);
  });

  it('orders each column breached first, then warning, then oldest, and counts them', () => {
    const board = groupBoard(
      [
        conversation('young', { level: 2, createdAt: hoursAgo(1) }),
        conversation('old', { level: 2, createdAt: hoursAgo(30) }),
        conversation('late', {
          level: 2,
          createdAt: hoursAgo(2),
          firstResponseDueAt: inMinutes(-3),
          slaState: 'breached',
        }),
        conversation('soon', {
          level: 2,
          createdAt: hoursAgo(2),
          firstResponseDueAt: inMinutes(10),
          slaState: 'warning',
        }),
      ],
      NOW,
    );
    const column = board[1]!;
    expect(column.cards.map((k) => k.conversation.id)).toEqual(['late', 'soon', 'old', 'young']);
    expect(column.cards[2]?.ageMs).toBe(30 * 3_600_000);
    expect([column.breached, column.warning]).toEqual([1, 1]);
  });
});
