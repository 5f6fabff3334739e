import {
  addBusinessSeconds,
  businessSecondsBetween,
  type Calendar,
} from '../business-hours/calendar';
import type { SlaAppliesTo, SlaTarget, SlaTargets } from '../db/schema';

/**
 * SLA clocks as pure values. A clock has a budget of open (business) seconds; it consumes them
 * while it runs, not while the conversation waits on the customer or is snoozed; it is met
 * when its target is reached (first reply, next reply, resolution), breached when its due time
 * passes first. Due and warning times are derived from the budget, what is consumed, and the
 * business-hours calendar, so a pause or a changed target moves them correctly.
 */
export interface ClockState {
  budgetSeconds: number;
  consumedSeconds: number;
  runningSince: Date | null;
  dueAt: Date | null;
  warnAt: Date | null;
  warnedAt: Date | null;
  breachedAt: Date | null;
  metAt: Date | null;
}

export interface ClockContext {
  calendar: Calendar;
  warningPercent: number;
  now: Date;
}

function schedule(state: ClockState, ctx: ClockContext, since: Date): ClockState {
  const left = Math.max(0, state.budgetSeconds - state.consumedSeconds);
  const warnAfter = Math.max(
    0,
    Math.floor((state.budgetSeconds * ctx.warningPercent) / 100) - state.consumedSeconds,
  );
  return {
    ...state,
    runningSince: since,
    dueAt: addBusinessSeconds(ctx.calendar, since, left),
    warnAt: addBusinessSeconds(ctx.calendar, since, warnAfter),
  };
}

export function startClock(budgetSeconds: number, ctx: ClockContext, since = ctx.now): ClockState {
  return schedule(
    {
      budgetSeconds,
      consumedSeconds: 0,
      runningSince: null,
      dueAt: null,
      warnAt: null,
      warnedAt: null,
      breachedAt: null,
      metAt: null,
    },
    ctx,
    since,
  );
}

/** Stops consuming (the customer is to answer, or the conversation is snoozed). */
export function pauseClock(state: ClockState, ctx: ClockContext): ClockState {
  if (!state.runningSince || state.metAt) return state;
  return {
    ...state,
    consumedSeconds:
      state.consumedSeconds + businessSecondsBetween(ctx.calendar, state.runningSince, ctx.now),
    runningSince: null,
    dueAt: null,
    warnAt: null,
  };
}

export function resumeClock(state: ClockState, ctx: ClockContext): ClockState {
  if (state.runningSince || state.metAt) return state;
  return schedule(state, ctx, ctx.now);
}

/** A new budget (another policy, a complaint's level changed): what is consumed stays. */
export function rebudgetClock(
  state: ClockState,
  budgetSeconds: number,
  ctx: ClockContext,
): ClockState {
  if (state.metAt || state.budgetSeconds === budgetSeconds) return state;
  if (!state.runningSince) return { ...state, budgetSeconds };
  const consumed =
    state.consumedSeconds + businessSecondsBetween(ctx.calendar, state.runningSince, ctx.now);
  const next = schedule({ ...state, budgetSeconds, consumedSeconds: consumed }, ctx, ctx.now);
  // A target that grew past a warning or breach already given does not take it back, and one
  // that shrank below them is judged again by the timer.
  return next;
}

export function meetClock(state: ClockState, ctx: ClockContext): ClockState {
  if (state.metAt) return state;
  const paused = pauseClock(state, ctx);
  return { ...paused, metAt: ctx.now };
}

export type ClockStatus = 'ok' | 'warning' | 'breached' | 'met' | 'paused';

export function clockStatus(state: ClockState): ClockStatus {
  if (state.metAt) return 'met';
  if (state.breachedAt) return 'breached';
  if (state.warnedAt) return 'warning';
  if (!state.runningSince) return 'paused';
  return 'ok';
}

// ---- policies ------------------------------------------------------------------------------

export interface PolicyFacts {
  tier: string | null;
  priority: string;
  inboxId: string;
  channel: string;
  /** 0 when the conversation is not a complaint. */
  level: number;
}

export interface PolicyLike {
  id: string;
  enabled: boolean;
  position: number;
  appliesTo: SlaAppliesTo;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  levelTargets: Record<string, SlaTargets>;
}

export function policyApplies(p: PolicyLike, f: PolicyFacts): boolean {
  const a = p.appliesTo;
  if (!p.enabled) return false;
  if (a.tiers?.length && !a.tiers.includes(f.tier ?? '')) return false;
  if (a.priorities?.length && !a.priorities.includes(f.priority)) return false;
  if (a.inboxIds?.length && !a.inboxIds.includes(f.inboxId)) return false;
  if (a.channels?.length && !a.channels.includes(f.channel)) return false;
  if (a.complaint === true && f.level === 0) return false;
  if (a.complaint === false && f.level > 0) return false;
  if (a.levels?.length && !a.levels.includes(f.level)) return false;
  return true;
}

/** The first applicable policy in order: the most specific ones are meant to come first. */
export function selectPolicy<P extends PolicyLike>(policies: P[], f: PolicyFacts): P | undefined {
  return [...policies].sort((x, y) => x.position - y.position).find((p) => policyApplies(p, f));
}

/** A target's budget in seconds for this level, or null when the policy sets none. */
export function budgetFor(p: PolicyLike, target: SlaTarget, level: number): number | null {
  const key = `${target}Minutes` as const;
  const byLevel = level > 0 ? p.levelTargets[String(level)]?.[key] : undefined;
  const minutes = byLevel ?? p[key];
  return minutes === null || minutes === undefined ? null : minutes * 60;
}
