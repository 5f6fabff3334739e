import { describe, expect, it } from 'vitest';
import {
  bgNbdLogLikelihood,
  bgNbdTotalLogLikelihood,
  conditionalExpectedPurchases,
  fitBgNbd,
  groupPoints,
  probabilityAlive,
  unconditionalExpectedPurchases,
} from './bg-nbd';

const unit = { r: 1, alpha: 1, a: 1, b: 1 };

describe('BG/NBD log-likelihood (values worked by hand)', () => {
  it.each([
    // x = 0: only r·ln(α/(α+T)) remains.
    [unit, { x: 0, tx: 0, T: 1 }, Math.log(1 / 2)],
    [{ r: 2, alpha: 3, a: 1, b: 1 }, { x: 0, tx: 0, T: 5 }, 2 * Math.log(3 / 8)],
    // x = 1, t_x = 1, T = 2: B(1,2)/B(1,1) · (3⁻² + 2⁻²) = ½ · 13/36.
    [unit, { x: 1, tx: 1, T: 2 }, Math.log(13 / 72)],
  ])('%o at %o', (params, point, expected) => {
    expect(bgNbdLogLikelihood(params, point)).toBeCloseTo(expected, 12);
  });

  it('the grouped total equals the sum over customers', () => {
    const points = [
      { x: 0, tx: 0, T: 30 },
      { x: 0, tx: 0, T: 30 },
      { x: 2, tx: 10, T: 30 },
      { x: 5, tx: 25, T: 40 },
    ];
    const params = { r: 0.3, alpha: 12, a: 0.8, b: 2.4 };
    const direct = points.reduce((s, p) => s + bgNbdLogLikelihood(params, p), 0);
    expect(bgNbdTotalLogLikelihood(params, groupPoints(points))).toBeCloseTo(direct, 10);
  });
});

describe('BG/NBD predictions', () => {
  it.each([
    [unit, { x: 0, tx: 0, T: 10 }, 1],
    // 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) = 1 / (1 + (3/2)²)
    [unit, { x: 1, tx: 1, T: 2 }, 4 / 13],
    [{ r: 1, alpha: 1, a: 2, b: 3 }, { x: 2, tx: 3, T: 3 }, 1 / (1 + 2 / 4)],
  ])('P(alive) %o %o', (params, point, expected) => {
    expect(probabilityAlive(params, point)).toBeCloseTo(expected, 12);
  });

  it('a new customer (x = 0, T = 0) expects what E[X(t)] says: 2(1 − ln 2) for r=α=b=1, a=2, t=1', () => {
    const params = { r: 1, alpha: 1, a: 2, b: 1 };
    const expected = 2 * (1 - Math.log(2));
    expect(conditionalExpectedPurchases(params, { x: 0, tx: 0, T: 0 }, 1)).toBeCloseTo(
      expected,
      10,
    );
    expect(unconditionalExpectedPurchases(params, 1)).toBeCloseTo(expected, 10);
  });

  it('without dropout (p → 0) it becomes the NBD forecast (r + x)·t/(α + T)', () => {
    const params = { r: 0.5, alpha: 4, a: 2, b: 1e7 };
    const point = { x: 3, tx: 8, T: 10 };
    expect(conditionalExpectedPurchases(params, point, 7)).toBeCloseTo((3.5 * 7) / 14, 4);
  });

  it('expects nothing over an empty horizon and more over a longer one', () => {
    const params = { r: 0.24, alpha: 31, a: 0.79, b: 2.43 };
    const point = { x: 2, tx: 100, T: 250 };
    expect(conditionalExpectedPurchases(params, point, 0)).toBe(0);
    const month = conditionalExpectedPurchases(params, point, 30);
    const year = conditionalExpectedPurchases(params, point, 365);
    expect(month).toBeGreaterThan(0);
    expect(year).toBeGreaterThan(month);
  });
});

describe('fitBgNbd', () => {
  it('refuses an empty sample', () => {
    expect(() => fitBgNbd([])).toThrow(RangeError);
  });
});
