/**
 * One CLV fit: BG/NBD on every customer with a purchase, Gamma-Gamma on the repeat customers,
 * and the per-customer predictions made from it. Time is in days (`timeUnitDays` = 1); α scales
 * with the time unit, so α in weeks is α/7 while r, a, b are the same.
 */
import { conditionalExpectedPurchases, fitBgNbd, probabilityAlive, type BgNbdFit } from './bg-nbd';
import { expectedSpend, fitGammaGamma, type GammaGammaFit } from './gamma-gamma';
import type { CustomerSummary } from './summary';

export const TIME_UNIT_DAYS = 1;
/** Below these counts the likelihood surface is too flat to trust; the fit is refused. */
export const MIN_CUSTOMERS = 20;
export const MIN_REPEAT_CUSTOMERS = 10;

export class ClvFitError extends Error {
  constructor(
    readonly code: 'too_few_customers' | 'fit_failed',
    message: string,
  ) {
    super(message);
  }
}

export interface ClvFit {
  bgNbd: BgNbdFit;
  gammaGamma: GammaGammaFit;
  timeUnitDays: number;
}

export function fitClv(summaries: readonly CustomerSummary[]): ClvFit {
  const buyers = summaries.filter((s) => s.firstPurchase !== null);
  const repeaters = buyers.filter((s) => s.frequency > 0 && s.monetary > 0);
  if (buyers.length < MIN_CUSTOMERS || repeaters.length < MIN_REPEAT_CUSTOMERS) {
    throw new ClvFitError(
      'too_few_customers',
      `a fit needs at least ${MIN_CUSTOMERS} customers with a purchase and ${MIN_REPEAT_CUSTOMERS} with repeat purchases; found ${buyers.length} and ${repeaters.length}`,
    );
  }
  const bgNbd = fitBgNbd(buyers.map((s) => ({ x: s.frequency, tx: s.recency, T: s.T })));
  const gammaGamma = fitGammaGamma(repeaters.map((s) => ({ x: s.frequency, m: s.monetary })));
  const values = [
    ...Object.values(bgNbd.params),
    ...Object.values(gammaGamma.params),
    bgNbd.logLikelihood,
  ];
  if (!values.every(Number.isFinite))
    throw new ClvFitError('fit_failed', 'the fit did not reach finite parameters');
  if (gammaGamma.params.q <= 1) {
    throw new ClvFitError(
      'fit_failed',
      'the spend model fitted q <= 1 (no finite mean spend); keeping the last fit',
    );
  }
  return { bgNbd, gammaGamma, timeUnitDays: TIME_UNIT_DAYS };
}

export interface CustomerValue {
  probabilityAlive: number;
  expectedPurchases: number;
  expectedSpend: number;
  predictedValue: number;
}

export function scoreCustomer(
  fit: ClvFit,
  summary: CustomerSummary,
  horizonDays: number,
): CustomerValue {
  const point = { x: summary.frequency, tx: summary.recency, T: summary.T };
  const alive = probabilityAlive(fit.bgNbd.params, point);
  const purchases = conditionalExpectedPurchases(
    fit.bgNbd.params,
    point,
    horizonDays / fit.timeUnitDays,
  );
  const spend = expectedSpend(fit.gammaGamma.params, { x: summary.frequency, m: summary.monetary });
  return {
    probabilityAlive: alive,
    expectedPurchases: purchases,
    expectedSpend: spend,
    predictedValue: purchases * spend,
  };
}
