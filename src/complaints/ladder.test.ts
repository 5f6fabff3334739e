import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { nextLevel } from './ladder';

describe('nextLevel', () => {
  it.each([
    [0, undefined, 2],
    [1, undefined, 2],
    [2, undefined, 3],
    [3, undefined, 4],
    [0, 1, 1],
    [1, 4, 4],
  ])('from %i (asked %s) goes to %i', (current, requested, expected) => {
    expect(nextLevel(current, requested)).toBe(expected);
  });

  it.each([
    [4, undefined],
    [3, 3],
    [3, 2],
  ])('refuses from %i to %s with 409', (current, requested) => {
    expect(() => nextLevel(current, requested)).toThrow(AppError);
    try {
      nextLevel(current, requested);
    } catch (err) {
      expect((err as AppError).status).toBe(409);
    }
  });
});
