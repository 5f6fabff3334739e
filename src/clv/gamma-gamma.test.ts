import { describe, expect, it } from 'vitest';
import { expectedSpend, fitGammaGamma, gammaGammaLogLikelihood } from './gamma-gamma';

describe('Gamma-Gamma', () => {
  it.each([
    // x = 1: m has density Γ(p+q)/(Γ(p)Γ(q)) γ^q m^(p−1) / (γ+m)^(p+q); p=1, q=2, γ=1, m=1 → 2/8.
    [{ p: 1, q: 2, gamma: 1 }, { x: 1, m: 1 }, Math.log(1 / 4)],
    // p=2, q=3, γ=2, x=1, m=2: Γ(5)/(Γ(2)Γ(3)) · 2³ · 2 / 4⁵ = 12 · 16 / 1024
    [{ p: 2, q: 3, gamma: 2 }, { x: 1, m: 2 }, Math.log((12 * 16) / 1024)],
  ])('log-likelihood %o %o', (params, point, expected) => {
    expect(gammaGammaLogLikelihood(params, point)).toBeCloseTo(expected, 12);
  });

  it.each([
    // p(γ + m·x)/(p·x + q − 1)
    [{ p: 1, q: 2, gamma: 1 }, { x: 1, m: 3 }, 2],
    [{ p: 6, q: 4, gamma: 15 }, { x: 4, m: 40 }, (6 * (15 + 160)) / (24 + 3)],
    // no repeat purchases: the population mean pγ/(q−1)
    [{ p: 6, q: 4, gamma: 15 }, { x: 0, m: 0 }, 30],
  ])('expected spend %o %o', (params, point, expected) => {
    expect(expectedSpend(params, point)).toBeCloseTo(expected, 10);
  });

  it('has no expected spend when q ≤ 1', () => {
    expect(() => expectedSpend({ p: 1, q: 1, gamma: 1 }, { x: 1, m: 1 })).toThrow(RangeError);
  });

  it('ignores customers without repeats or with a non-positive mean, and refuses when none is left', () => {
    expect(() =>
      fitGammaGamma([
        { x: 0, m: 0 },
        { x: 2, m: -5 },
      ]),
    ).toThrow(RangeError);
  });
});
