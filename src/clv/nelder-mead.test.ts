import { describe, expect, it } from 'vitest';
import { nelderMead } from './nelder-mead';

describe('nelderMead', () => {
  it('finds the minimum of a shifted quadratic bowl', () => {
    const result = nelderMead(([x = 0, y = 0]) => (x - 3) ** 2 + 10 * (y + 1) ** 2, [0, 0]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(3, 5);
    expect(result.x[1]).toBeCloseTo(-1, 5);
  });

  it('follows the Rosenbrock valley to (1, 1)', () => {
    const result = nelderMead(
      ([x = 0, y = 0]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2,
      [-1.2, 1],
      {
        maxIterations: 10_000,
      },
    );
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
  });

  it('treats a non-finite value as infinitely bad instead of stopping', () => {
    const result = nelderMead(([x = 0]) => (x < 0 ? Number.NaN : (x - 2) ** 2), [0.5]);
    expect(result.x[0]).toBeCloseTo(2, 5);
  });
});
