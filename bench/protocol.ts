/**
 * Messages between the benchmark (parent) and its load-generator child over the IPC channel.
 * Both sides are ours, but the channel carries `unknown`, so every message is checked on arrival.
 */

export interface LoadConfig {
  url: string;
  token: string;
  agents: number;
  /** Target rates, messages per second, in the order they are tried. */
  rates: number[];
  stepSeconds: number;
  /** Visitor sockets connected before the first step; more are added as the rate rises. */
  minVisitors: number;
  /** Messages per visitor socket per second we aim for (server allows 30 per rolling 10 s). */
  perVisitorRate: number;
  /** How long to wait after a step's send window for outstanding messages. */
  drainSeconds: number;
  /** A step fails when the all-agents p99 exceeds this. */
  maxP99Ms: number;
  warmupSeconds: number;
  warmupRate: number;
  /** After the first failing step, this many bisection steps narrow the sustained rate. */
  refineSteps: number;
  /** A failing ladder step is tried this many more times (a neighbour's burst is not our limit). */
  retries: number;
  /** Failed steps during which other processes used the machine are re-run, at most this often. */
  noisyRetries: number;
  /**
   * Send Telegram updates to this webhook instead of visitor messages: each from a user the
   * server has never seen (user ids from `firstUserId` up), signed with `secret`; the webhook's
   * HTTP response is the "ack".
   */
  telegram?: { webhookUrl: string; secret: string; firstUserId: number };
}

export interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface StepResult {
  index: number;
  rate: number;
  visitors: number;
  seconds: number;
  sent: number;
  /** Acks (`{id}`) that arrived inside the send window, per second. */
  ackRate: number;
  /** Messages that reached every agent inside the send window, per second. */
  deliveredRate: number;
  /** Messages still without ack or still missing at some agent when the window closed. */
  backlog: number;
  errors: number;
  /** Messages never acknowledged or never seen by every agent, even after draining. */
  lost: number;
  ack: Percentiles;
  firstAgent: Percentiles;
  lastAgent: Percentiles;
  /** Worst event-loop delay in the load generator during the step (ms): our own noise. */
  loadLoopP99Ms: number;
  drainMs: number;
  passed: boolean;
  /** `retry`: a failed rate tried again; `refine`: between the last rate that held and the first that did not. */
  kind: 'ladder' | 'retry' | 'refine';
  failure: string | undefined;
  errorSample: string | undefined;
}

export type ChildMessage =
  | { type: 'ready'; agents: number; visitors: number; connectMs: number }
  | { type: 'visitors'; visitors: number; connectMs: number }
  | { type: 'step-start'; index: number; rate: number }
  | { type: 'step-window-end'; index: number }
  | { type: 'step'; result: StepResult }
  | { type: 'done'; conversationIds: string[] }
  | { type: 'fatal'; message: string };

export type ParentMessage =
  | { type: 'start'; config: LoadConfig }
  | { type: 'verdict'; index: number; noisy: boolean }
  | { type: 'stop' };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const childTypes = new Set([
  'ready',
  'visitors',
  'step-start',
  'step-window-end',
  'step',
  'done',
  'fatal',
]);

export function isChildMessage(value: unknown): value is ChildMessage {
  return isRecord(value) && typeof value.type === 'string' && childTypes.has(value.type);
}

export function isParentMessage(value: unknown): value is ParentMessage {
  return (
    isRecord(value) && ((value.type === 'start' && isRecord(value.config)) || value.type === 'stop')
  );
}

/** Nearest-rank percentile of an ascending array; Infinity entries stand for "never arrived". */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function summarize(values: number[]): Percentiles {
  const sorted = values.slice().sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
  };
}
