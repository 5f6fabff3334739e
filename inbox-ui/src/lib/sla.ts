import type { Conversation } from '../api/types';

/** The SLA clocks a conversation carries (CONTRACT: `sla.warning`/`sla.breached` targets). */
export const SLA_TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];
export type SlaTone = 'ok' | 'warning' | 'breached';

/** What the server said about one target of one conversation (from the socket events). */
export type SlaMarks = Partial<Record<SlaTarget, Exclude<SlaTone, 'ok'>>>;

export interface SlaClockView {
  target: SlaTarget;
  dueAt: string;
  /** Negative once the due time has passed. */
  remainingMs: number;
  tone: SlaTone;
}

export type SlaSummary =
  | { kind: 'running'; clock: SlaClockView; tone: SlaTone }
  /** Clocks exist but none runs: waiting on the customer, or snoozed. */
  | { kind: 'paused'; tone: SlaTone };

type SlaFields = Pick<
  Conversation,
  'firstResponseDueAt' | 'nextResponseDueAt' | 'resolutionDueAt' | 'slaState' | 'status'
>;

const DUE_FIELD = {
  firstResponse: 'firstResponseDueAt',
  nextResponse: 'nextResponseDueAt',
  resolution: 'resolutionDueAt',
} as const;

const RANK: Record<SlaTone, number> = { ok: 0, warning: 1, breached: 2 };
export const worstTone = (a: SlaTone, b: SlaTone): SlaTone => (RANK[a] >= RANK[b] ? a : b);

/**
 * The running clocks of a conversation, soonest first, each with how long is left and its tone.
 * A clock is red once its due time has passed (the browser's clock, so it turns red on time
 * even before the server's `sla.breached` arrives). Amber comes from the server, which alone
 * knows the warning threshold: a target it marked, or, with no marks (after a reload), the
 * soonest clock while the conversation's state is `warning`.
 */
export function slaClocks(c: SlaFields, now: number, marks: SlaMarks = {}): SlaClockView[] {
  if (c.status === 'resolved') return [];
  const running = SLA_TARGETS.flatMap((target) => {
    const dueAt = c[DUE_FIELD[target]];
    if (!dueAt) return [];
    const due = Date.parse(dueAt);
    return Number.isNaN(due) ? [] : [{ target, dueAt, remainingMs: due - now }];
  }).sort((a, b) => a.remainingMs - b.remainingMs);
  const marked = Object.keys(marks).length > 0;
  return running.map((clock, i) => {
    let tone: SlaTone = clock.remainingMs <= 0 ? 'breached' : (marks[clock.target] ?? 'ok');
    if (!marked && i === 0 && c.slaState === 'warning') tone = worstTone(tone, 'warning');
    return { ...clock, tone };
  });
}

/** One line for the list row: the soonest clock and the worst state, or null without an SLA. */
export function slaSummary(c: SlaFields, now: number, marks: SlaMarks = {}): SlaSummary | null {
  if (c.status === 'resolved') return null;
  const clocks = slaClocks(c, now, marks);
  const stateTone: SlaTone = c.slaState ?? 'ok';
  const first = clocks[0];
  if (!first) return c.slaState ? { kind: 'paused', tone: stateTone } : null;
  const tone = clocks.reduce((worst, k) => worstTone(worst, k.tone), stateTone);
  return { kind: 'running', clock: first, tone };
}

/** How often a countdown must re-render to stay true: every second in its last hour. */
export function tickInterval(remainingMs: number): number {
  return Math.abs(remainingMs) < 3_600_000 ? 1_000 : 30_000;
}

/** Splits a duration into the two largest units, for "2d 4h", "3h 05m", "4m 09s". */
export function countdownParts(ms: number): {
  overdue: boolean;
  units: [number, 'd' | 'h' | 'm', number, 'h' | 'm' | 's'];
} {
  const overdue = ms < 0;
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return { overdue, units: [d, 'd', h, 'h'] };
  if (h > 0) return { overdue, units: [h, 'h', m, 'm'] };
  return { overdue, units: [m, 'm', sec, 's'] };
}
