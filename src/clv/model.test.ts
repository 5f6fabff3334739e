import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClvFitError, fitClv, scoreCustomer } from './model';
import { simulateOrders } from './simulate';
import { summarize, type OrderRow } from './summary';

const CDNOW = fileURLToPath(new URL('../../test/fixtures/cdnow/cdnow_sample.txt', import.meta.url));

function cdnowOrders(): OrderRow[] {
  return readFileSync(CDNOW, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [, id, date, , amount] = line.trim().split(/\s+/);
      if (!id || !date || !amount) throw new Error(`bad CDNOW line: ${line}`);
      const iso = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T12:00:00Z`;
      return { contactId: id, amount: Number(amount), orderedAt: new Date(iso) };
    });
}

describe('CLV fit on CDNOW (Fader, Hardie & Lee 2005; Fader & Hardie 2013)', () => {
  // 39-week calibration period ending 1997-09-30; the published α is in weeks, ours in days.
  const summaries = summarize(cdnowOrders(), '1997-09-30');
  const fit = fitClv(summaries);

  it('reproduces the published BG/NBD parameters', () => {
    expect(fit.timeUnitDays).toBe(1);
    expect(fit.bgNbd.customers).toBe(2357);
    const { r, alpha, a, b } = fit.bgNbd.params;
    expect(r).toBeCloseTo(0.243, 2);
    expect(Math.abs(alpha / 7 - 4.41)).toBeLessThan(0.05);
    expect(a).toBeCloseTo(0.793, 2);
    expect(Math.abs(b - 2.43)).toBeLessThan(0.03);
  });

  it('reproduces the published Gamma-Gamma parameters on the 946 repeat customers', () => {
    expect(fit.gammaGamma.customers).toBe(946);
    const { p, q, gamma } = fit.gammaGamma.params;
    expect(p).toBeCloseTo(6.25, 1);
    expect(q).toBeCloseTo(3.74, 1);
    expect(gamma).toBeCloseTo(15.44, 1);
  });

  it('forecasts the 39-week holdout repeat purchases within 15% of what the customers bought', () => {
    const holdoutEnd = '1998-06-30';
    const actual = summarize(cdnowOrders(), holdoutEnd);
    const calibration = new Map(summaries.map((s) => [s.contactId, s]));
    let predicted = 0;
    let observed = 0;
    for (const s of actual) {
      const before = calibration.get(s.contactId);
      if (!before) continue;
      predicted += scoreCustomer(fit, before, 273).expectedPurchases;
      observed += s.frequency - before.frequency;
    }
    expect(Math.abs(predicted - observed) / observed).toBeLessThan(0.15);
  });
});

describe('CLV fit on simulated customers', () => {
  it('recovers the parameters it was simulated from', () => {
    const truth = {
      bgNbd: { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
      gammaGamma: { p: 6, q: 4, gamma: 15 },
    };
    const rows = simulateOrders({
      customers: 8000,
      ...truth,
      start: '2024-01-01',
      cohortDays: 90,
      asOf: '2024-12-31',
      seed: 11,
    });
    const fit = fitClv(summarize(rows, '2024-12-31'));
    const within = (got: number, want: number, share: number) =>
      expect(Math.abs(got - want) / want).toBeLessThan(share);
    within(fit.bgNbd.params.r, 0.5, 0.1);
    within(fit.bgNbd.params.alpha, 20, 0.15);
    within(fit.bgNbd.params.a, 0.8, 0.2);
    within(fit.bgNbd.params.b, 2.5, 0.25);
    within(fit.gammaGamma.params.p, 6, 0.15);
    within(fit.gammaGamma.params.q, 4, 0.15);
    within(fit.gammaGamma.params.gamma, 15, 0.15);
  });

  it('refuses to fit too few customers', () => {
    const rows = simulateOrders({
      customers: 12,
      bgNbd: { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
      gammaGamma: { p: 6, q: 4, gamma: 15 },
      start: '2024-01-01',
      cohortDays: 90,
      asOf: '2024-12-31',
      seed: 3,
    });
    expect(() => fitClv(summarize(rows, '2024-12-31'))).toThrow(ClvFitError);
  });
});
