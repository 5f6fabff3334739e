import { describe, expect, it } from 'vitest';
import { hyp2f1, lnBeta, lnGamma } from './special';

describe('lnGamma', () => {
  it.each([
    [1, 0],
    [2, 0],
    [5, Math.log(24)],
    [0.5, Math.log(Math.sqrt(Math.PI))],
    [10.5, Math.log(1133278.3889487856)],
  ])('lnΓ(%d)', (x, expected) => {
    expect(lnGamma(x)).toBeCloseTo(expected, 10);
  });

  it('lnB(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a+b): B(2, 3) = 1/12', () => {
    expect(lnBeta(2, 3)).toBeCloseTo(Math.log(1 / 12), 12);
  });
});

describe('hyp2f1', () => {
  it.each([
    // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z
    [1, 1, 2, 0.5, 2 * Math.log(2)],
    [1, 1, 2, 0.9, -Math.log(0.1) / 0.9],
    // ₂F₁(a, b; b; z) = (1 − z)^−a
    [2.5, 3, 3, 0.3, Math.pow(0.7, -2.5)],
    [0.7, 1.3, 2.1, 0, 1],
  ])('₂F₁(%d, %d; %d; %d)', (a, b, c, z, expected) => {
    expect(hyp2f1(a, b, c, z)).toBeCloseTo(expected, 9);
  });

  it('refuses z outside [0, 1)', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });
});
