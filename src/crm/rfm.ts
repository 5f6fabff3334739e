/**
 * RFM scores (quintiles 1–5 of recency, frequency and monetary value among the contacts with a
 * purchase) and the named segments built on them, and the value tier from predicted value.
 */
export interface RfmInput {
  /** Days since the last purchase (lower is better). */
  daysSinceLast: number;
  /** Purchase days (first included). */
  purchases: number;
  /** Historic value. */
  value: number;
}

export interface RfmScore {
  r: number;
  f: number;
  m: number;
}

export const SEGMENTS = [
  'champions',
  'loyal',
  'potential',
  'new',
  'need_attention',
  'at_risk',
  'hibernating',
] as const;
export type Segment = (typeof SEGMENTS)[number];

/**
 * Quintile of each value, 1 (lowest fifth) to 5 (highest fifth); equal values share the score
 * of the first of them, so a tie never splits across two scores.
 */
export function quintiles(values: readonly number[]): number[] {
  const n = values.length;
  const order = values.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
  const scores = new Array<number>(n).fill(1);
  let rankOfValue = 0;
  for (let k = 0; k < n; k++) {
    const [v, i] = order[k]!;
    if (k === 0 || v !== order[k - 1]![0]) rankOfValue = k;
    scores[i] = 1 + Math.floor((5 * rankOfValue) / n);
  }
  return scores;
}

export function rfmScores(inputs: readonly RfmInput[]): RfmScore[] {
  // Recency: fewer days since the last purchase is better, so it is scored on the negation.
  const r = quintiles(inputs.map((i) => -i.daysSinceLast));
  const f = quintiles(inputs.map((i) => i.purchases));
  const m = quintiles(inputs.map((i) => i.value));
  return inputs.map((_, k) => ({ r: r[k]!, f: f[k]!, m: m[k]! }));
}

export function segmentOf(score: RfmScore, purchases: number): Segment {
  const { r, f } = score;
  if (purchases <= 1) return r >= 4 ? 'new' : r <= 2 ? 'hibernating' : 'need_attention';
  if (r >= 4 && f >= 4) return 'champions';
  if (r >= 3 && f >= 4) return 'loyal';
  if (r >= 4) return 'potential';
  if (r <= 2 && f >= 3) return 'at_risk';
  if (r <= 2) return 'hibernating';
  return 'need_attention';
}

export const TIERS = ['gold', 'silver', 'bronze'] as const;

export function tierOf(
  predictedValue: number,
  thresholds: { gold: number; silver: number },
): string {
  if (predictedValue >= thresholds.gold) return 'gold';
  if (predictedValue >= thresholds.silver) return 'silver';
  return 'bronze';
}
