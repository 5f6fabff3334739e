/**
 * BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your customers the easy
 * way"). Each customer is summarised by x repeat purchases, recency t_x (time of the last purchase
 * since the first) and age T (time since the first purchase), in one time unit (days here).
 */
import { hyp2f1, lnBeta, lnGamma } from './special';
import { nelderMead } from './nelder-mead';

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface RfmPoint {
  /** Repeat purchases. */
  x: number;
  /** Time from the first purchase to the last. */
  tx: number;
  /** Time from the first purchase to the end of observation. */
  T: number;
}

/** One customer's log-likelihood, equation (6) of the paper. */
export function bgNbdLogLikelihood(params: BgNbdParams, point: RfmPoint): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = point;
  const common =
    lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) + lnBeta(a, b + x) - lnBeta(a, b);
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return common + a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  const hi = Math.max(a3, a4);
  return common + hi + Math.log(Math.exp(a3 - hi) + Math.exp(a4 - hi));
}

/** Identical summaries share one likelihood term: integer days make many repeats. */
export interface WeightedPoint extends RfmPoint {
  count: number;
}

export function groupPoints(points: readonly RfmPoint[]): WeightedPoint[] {
  const byKey = new Map<string, WeightedPoint>();
  for (const p of points) {
    const key = `${p.x}|${p.tx}|${p.T}`;
    const seen = byKey.get(key);
    if (seen) seen.count++;
    else byKey.set(key, { x: p.x, tx: p.tx, T: p.T, count: 1 });
  }
  return [...byKey.values()];
}

/**
 * Total log-likelihood. The gamma and beta terms depend on x alone, so they are computed once per
 * distinct x; only the two power terms are per point (this is what makes 100,000 customers fast).
 */
export function bgNbdTotalLogLikelihood(
  params: BgNbdParams,
  points: readonly WeightedPoint[],
): number {
  return totalOverGroups(params, groupByFrequency(points));
}

interface FrequencyGroup {
  x: number;
  tx: Float64Array;
  T: Float64Array;
  count: Float64Array;
  total: number;
}

function groupByFrequency(points: readonly WeightedPoint[]): FrequencyGroup[] {
  const byX = new Map<number, WeightedPoint[]>();
  for (const p of points) {
    const list = byX.get(p.x);
    if (list) list.push(p);
    else byX.set(p.x, [p]);
  }
  return [...byX.entries()].map(([x, list]) => ({
    x,
    tx: Float64Array.from(list, (p) => p.tx),
    T: Float64Array.from(list, (p) => p.T),
    count: Float64Array.from(list, (p) => p.count),
    total: list.reduce((s, p) => s + p.count, 0),
  }));
}

function totalOverGroups(params: BgNbdParams, groups: readonly FrequencyGroup[]): number {
  const { r, alpha, a, b } = params;
  const lnA = Math.log(a);
  const shared = -lnGamma(r) + r * Math.log(alpha) - lnBeta(a, b);
  let sum = 0;
  for (const g of groups) {
    const { x } = g;
    const rx = r + x;
    sum += g.total * (shared + lnGamma(rx) + lnBeta(a, b + x));
    if (x === 0) {
      for (let i = 0; i < g.T.length; i++)
        sum -= (g.count[i] ?? 0) * rx * Math.log(alpha + (g.T[i] ?? 0));
      continue;
    }
    const k = lnA - Math.log(b + x - 1);
    for (let i = 0; i < g.T.length; i++) {
      const a3 = -rx * Math.log(alpha + (g.T[i] ?? 0));
      const a4 = k - rx * Math.log(alpha + (g.tx[i] ?? 0));
      const hi = a3 > a4 ? a3 : a4;
      sum += (g.count[i] ?? 0) * (hi + Math.log(Math.exp(a3 - hi) + Math.exp(a4 - hi)));
    }
  }
  return sum;
}

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  customers: number;
  iterations: number;
  converged: boolean;
}

export function fitBgNbd(points: readonly RfmPoint[]): BgNbdFit {
  const grouped = groupByFrequency(groupPoints(points));
  const n = points.length;
  if (n === 0) throw new RangeError('no customers to fit');
  const meanT = points.reduce((s, p) => s + p.T, 0) / n;
  const fromLog = (v: number[]): BgNbdParams => ({
    r: Math.exp(v[0] ?? 0),
    alpha: Math.exp(v[1] ?? 0),
    a: Math.exp(v[2] ?? 0),
    b: Math.exp(v[3] ?? 0),
  });
  // Mean negative log-likelihood keeps the simplex tolerances independent of the sample size.
  const objective = (v: number[]) => -totalOverGroups(fromLog(v), grouped) / n;
  let start = [0, Math.log(Math.max(1, meanT / 4)), 0, 0];
  let iterations = 0;
  let result = nelderMead(objective, start, { step: 1 });
  iterations += result.iterations;
  // Restarting from the optimum is the usual guard against a simplex that collapsed early.
  for (let i = 0; i < 3; i++) {
    start = result.x;
    const again = nelderMead(objective, start, { step: 0.2 });
    iterations += again.iterations;
    const improved = result.value - again.value;
    result = again.value <= result.value ? again : result;
    if (improved < 1e-9) break;
  }
  return {
    params: fromLog(result.x),
    logLikelihood: -result.value * n,
    customers: n,
    iterations,
    converged: result.converged,
  };
}

/** P(alive | x, t_x, T), equation (11). */
export function probabilityAlive(params: BgNbdParams, point: RfmPoint): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = point;
  if (x === 0) return 1;
  const logRatio = Math.log(a / (b + x - 1)) + (r + x) * Math.log((alpha + T) / (alpha + tx));
  return 1 / (1 + Math.exp(logRatio));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next `t` time units, equation (10). */
export function conditionalExpectedPurchases(
  params: BgNbdParams,
  point: RfmPoint,
  t: number,
): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = point;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const f = hyp2f1(r + x, b + x, a + b + x - 1, z);
  const head = (a + b + x - 1) / (a - 1);
  const body = 1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * f;
  const denom = x > 0 ? 1 + (a / (b + x - 1)) * Math.pow((alpha + T) / (alpha + tx), r + x) : 1;
  return (head * body) / denom;
}

/** E[X(t)]: expected purchases of a customer in their first `t` time units, equation (9). */
export function unconditionalExpectedPurchases(params: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = params;
  if (t <= 0) return 0;
  const f = hyp2f1(r, b, a + b - 1, t / (alpha + t));
  return ((a + b - 1) / (a - 1)) * (1 - Math.pow(alpha / (alpha + t), r) * f);
}
