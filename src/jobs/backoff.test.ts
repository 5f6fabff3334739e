import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff';

describe('retryDelayMs', () => {
  it.each([
    [1, 2_000],
    [2, 4_000],
    [3, 8_000],
    [9, 512_000],
    [10, 600_000],
    [30, 600_000],
  ])('attempt %i waits about %i ms', (attempt, base) => {
    expect(retryDelayMs(attempt, () => 0.5)).toBe(base);
  });

  it('jitters within ±20 %', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1_600);
    expect(retryDelayMs(1, () => 1)).toBe(2_400);
  });
});
