import { describe, expect, it } from 'vitest';
import { quintiles, rfmScores, segmentOf, tierOf } from './rfm';

describe('quintiles', () => {
  it('splits ten distinct values into fifths', () => {
    expect(quintiles([10, 1, 9, 2, 8, 3, 7, 4, 6, 5])).toEqual([5, 1, 5, 1, 4, 2, 4, 2, 3, 3]);
  });
  it('gives equal values the same score', () => {
    expect(quintiles([1, 1, 1, 1, 2])).toEqual([1, 1, 1, 1, 5]);
  });
});

describe('RFM segments', () => {
  it('recent frequent buyers are champions, lapsed frequent ones at risk, one-off recent ones new', () => {
    const inputs = [
      { daysSinceLast: 2, purchases: 12, value: 900 },
      { daysSinceLast: 200, purchases: 9, value: 700 },
      { daysSinceLast: 1, purchases: 1, value: 20 },
      { daysSinceLast: 300, purchases: 1, value: 15 },
      { daysSinceLast: 40, purchases: 3, value: 100 },
    ];
    const scores = rfmScores(inputs);
    expect(scores[0]).toEqual({ r: 4, f: 5, m: 5 });
    const segments = scores.map((s, i) => segmentOf(s, inputs[i]!.purchases));
    expect(segments).toEqual(['champions', 'at_risk', 'new', 'hibernating', 'need_attention']);
  });
});

describe('tierOf', () => {
  it.each([
    [1500, 'gold'],
    [1000, 'gold'],
    [999.99, 'silver'],
    [200, 'silver'],
    [0, 'bronze'],
  ])('%d → %s', (value, tier) => {
    expect(tierOf(value, { gold: 1000, silver: 200 })).toBe(tier);
  });
});
