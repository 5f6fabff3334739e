/**
 * Seeded simulation of customers from known BG/NBD and Gamma-Gamma parameters: the tests recover
 * the parameters from it and the benchmark fits 100,000 of them.
 */
import type { BgNbdParams } from './bg-nbd';
import type { GammaGammaParams } from './gamma-gamma';
import type { OrderRow } from './summary';

/** mulberry32: small, fast, good enough for simulation, reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, scale 1) by Marsaglia & Tsang, with the boost for shape < 1. */
export function gammaSample(rand: () => number, shape: number): number {
  if (shape < 1) return gammaSample(rand, shape + 1) * Math.pow(1 - rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rand);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rand();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export interface SimulationOptions {
  customers: number;
  bgNbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** The first purchases fall uniformly in the `cohortDays` days after `start`. */
  start: string;
  cohortDays: number;
  /** Observation ends on this date (inclusive). */
  asOf: string;
  seed: number;
}

const DAY_MS = 86_400_000;

/** Orders of simulated customers (`contactId` = `c<n>`), each at noon UTC of its day. */
export function simulateOrders(options: SimulationOptions): OrderRow[] {
  const rand = seededRandom(options.seed);
  const { r, alpha, a, b } = options.bgNbd;
  const { p, q, gamma } = options.gammaGamma;
  const startMs = Date.parse(`${options.start}T00:00:00Z`);
  const endDay = Math.floor(Date.parse(`${options.asOf}T00:00:00Z`) / DAY_MS);
  const rows: OrderRow[] = [];
  for (let i = 0; i < options.customers; i++) {
    const contactId = `c${i}`;
    const lambda = gammaSample(rand, r) / alpha;
    const ga = gammaSample(rand, a);
    const dropout = ga / (ga + gammaSample(rand, b));
    const nu = gammaSample(rand, q) / gamma;
    const spend = () => Math.round((gammaSample(rand, p) / nu) * 100) / 100 || 0.01;
    const firstDay = Math.floor(startMs / DAY_MS) + Math.floor(rand() * options.cohortDays);
    const T = endDay - firstDay;
    rows.push({ contactId, amount: spend(), orderedAt: new Date((firstDay + 0.5) * DAY_MS) });
    let t = 0;
    for (;;) {
      t += -Math.log(1 - rand()) / lambda;
      if (!(t <= T)) break;
      rows.push({
        contactId,
        amount: spend(),
        orderedAt: new Date((firstDay + Math.floor(t) + 0.5) * DAY_MS),
      });
      if (rand() < dropout) break;
    }
  }
  return rows;
}
