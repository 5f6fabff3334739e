/**
 * Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma model of
 * monetary value"), fitted on repeat customers: x repeat transactions of mean value m.
 */
import { lnGamma } from './special';
import { nelderMead } from './nelder-mead';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

export interface SpendPoint {
  x: number;
  /** Mean spend over the x repeat transactions. */
  m: number;
}

/** One customer's log-likelihood of the observed mean m over x transactions. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, point: SpendPoint): number {
  const { p, q, gamma } = params;
  const { x, m } = point;
  const px = p * x;
  return (
    lnGamma(px + q) -
    lnGamma(px) -
    lnGamma(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + m * x)
  );
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  logLikelihood: number;
  customers: number;
  converged: boolean;
}

export function fitGammaGamma(points: readonly SpendPoint[]): GammaGammaFit {
  const usable = points.filter((pt) => pt.x > 0 && pt.m > 0);
  const n = usable.length;
  if (n === 0) throw new RangeError('no repeat customers with a positive spend to fit');
  const meanM = usable.reduce((s, pt) => s + pt.m, 0) / n;
  const fromLog = (v: number[]): GammaGammaParams => ({
    p: Math.exp(v[0] ?? 0),
    q: Math.exp(v[1] ?? 0),
    gamma: Math.exp(v[2] ?? 0),
  });
  // lnΓ terms depend on x alone: computed once per distinct x, the rest per customer.
  const byX = new Map<number, number[]>();
  for (const pt of usable) {
    const list = byX.get(pt.x);
    if (list) list.push(pt.m);
    else byX.set(pt.x, [pt.m]);
  }
  const groups = [...byX.entries()].map(([x, ms]) => ({
    x,
    m: Float64Array.from(ms),
    sumLnM: ms.reduce((s, m) => s + Math.log(m), 0),
  }));
  const objective = (v: number[]) => {
    const { p, q, gamma } = fromLog(v);
    let sum = 0;
    for (const g of groups) {
      const px = p * g.x;
      const k = g.m.length;
      sum +=
        k * (lnGamma(px + q) - lnGamma(px) - lnGamma(q) + q * Math.log(gamma) + px * Math.log(g.x));
      sum += (px - 1) * g.sumLnM;
      for (let i = 0; i < k; i++) sum -= (px + q) * Math.log(gamma + (g.m[i] ?? 0) * g.x);
    }
    return -sum / n;
  };
  let result = nelderMead(objective, [0, 0, Math.log(Math.max(1e-6, meanM))], { step: 1 });
  for (let i = 0; i < 3; i++) {
    const again = nelderMead(objective, result.x, { step: 0.2 });
    const improved = result.value - again.value;
    if (again.value <= result.value) result = again;
    if (improved < 1e-9) break;
  }
  return {
    params: fromLog(result.x),
    logLikelihood: -result.value * n,
    customers: n,
    converged: result.converged,
  };
}

/**
 * E[M | x, m]: expected spend per future transaction, a weighted mean of the population mean
 * p·γ/(q−1) and the customer's own mean. Customers without repeat purchases get the population
 * mean. Needs q > 1 (a finite population mean).
 */
export function expectedSpend(params: GammaGammaParams, point: SpendPoint): number {
  const { p, q, gamma } = params;
  if (q <= 1) throw new RangeError('q <= 1: the spend model has no finite mean');
  if (point.x <= 0 || point.m <= 0) return (p * gamma) / (q - 1);
  return (p * (gamma + point.m * point.x)) / (p * point.x + q - 1);
}
