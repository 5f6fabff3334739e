import { describe, expect, it } from 'vitest';
import { nearEnd, scrollToReveal, visibleRange } from './virtual';

describe('visibleRange', () => {
  it('renders the rows in view plus overscan', () => {
    expect(visibleRange(0, 800, 80, 10_000, 5)).toEqual({
      start: 0,
      end: 15,
      offset: 0,
      totalHeight: 800_000,
    });
    expect(visibleRange(8000, 800, 80, 10_000, 5)).toEqual({
      start: 95,
      end: 115,
      offset: 7600,
      totalHeight: 800_000,
    });
  });

  it('keeps the rendered count constant however long the list is', () => {
    const small = visibleRange(4000, 800, 84, 1_000);
    const large = visibleRange(4000, 800, 84, 100_000);
    expect(large.end - large.start).toBe(small.end - small.start);
    expect(large.end - large.start).toBeLessThan(30);
  });

  it('clamps at both ends', () => {
    expect(visibleRange(-100, 800, 80, 3)).toMatchObject({ start: 0, end: 3 });
    expect(visibleRange(1e9, 800, 80, 100, 2)).toMatchObject({ start: 88, end: 100 });
    expect(visibleRange(0, 800, 80, 0)).toEqual({ start: 0, end: 0, offset: 0, totalHeight: 0 });
  });

  it('asks for the next page near the end only', () => {
    expect(nearEnd(0, 800, 80, 50)).toBe(false);
    expect(nearEnd(2400, 800, 80, 50)).toBe(true);
    expect(nearEnd(0, 800, 80, 5)).toBe(true);
  });

  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(0, 400, 800, 80)).toBe(0);
    expect(scrollToReveal(20, 0, 800, 80)).toBe(880);
    expect(scrollToReveal(5, 0, 800, 80)).toBeNull();
  });
});
