import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Db, Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  contacts,
  conversations,
  slaClocks,
  slaPolicies,
  type ConversationRow,
  type SlaClockRow,
  type SlaPolicyRow,
  type SlaTarget,
} from '../db/schema';
import type { BusinessHoursService } from '../business-hours/business-hours.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { JobQueue } from '../jobs/job-queue';
import type { JobHandler } from '../jobs/worker';
import {
  budgetFor,
  clockStatus,
  meetClock,
  pauseClock,
  rebudgetClock,
  resumeClock,
  selectPolicy,
  startClock,
  type ClockContext,
  type ClockState,
} from './sla-clock';

export const SLA_CHECK_JOB = 'sla.check';
export const SLA_RESYNC_JOB = 'sla.resync';
const TARGETS: SlaTarget[] = ['firstResponse', 'nextResponse', 'resolution'];
const POLICY_CACHE_MS = 10_000;

const toState = (r: SlaClockRow): ClockState => ({
  budgetSeconds: r.budgetSeconds,
  consumedSeconds: r.consumedSeconds,
  runningSince: r.runningSince,
  dueAt: r.dueAt,
  warnAt: r.warnAt,
  warnedAt: r.warnedAt,
  breachedAt: r.breachedAt,
  metAt: r.metAt,
});

const same = (a: ClockState, b: ClockState) =>
  (Object.keys(a) as (keyof ClockState)[]).every((k) => {
    const x = a[k];
    const y = b[k];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });

/**
 * The SLA clocks of each conversation follow what happens to it: they start when a person is
 * to answer (not while the bot holds it), pause while the conversation waits on the customer or
 * is snoozed, are met by the first reply, each next reply and the resolution, and change their
 * budget when another policy or a complaint level applies. Each clock's next warning or due
 * time is a job, so timers live in the database, survive restarts and fire once across
 * instances, and the scheduler's work grows with the timers due, not with the conversations.
 */
export class SlaService {
  private policies: { at: number; rows: SlaPolicyRow[] } | undefined;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
    private readonly hours: BusinessHoursService,
    private readonly conversations: ConversationRepository,
    private readonly clock: Clock,
  ) {}

  async enabledPolicies(): Promise<SlaPolicyRow[]> {
    const now = Date.now();
    if (!this.policies || now - this.policies.at > POLICY_CACHE_MS) {
      const rows = await this.db
        .select()
        .from(slaPolicies)
        .where(eq(slaPolicies.enabled, true))
        .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
      this.policies = { at: now, rows };
    }
    return this.policies.rows;
  }

  forgetPolicies(): void {
    this.policies = undefined;
  }

  /** Brings a conversation's clocks, due times and timers in line with its state. */
  /** `shown`: the conversation's SLA columns when the caller has just read them. */
  async sync(
    conversationId: string,
    shown?: { slaState: string | null; slaPolicyId: string | null },
  ): Promise<void> {
    const policies = await this.enabledPolicies();
    if (!policies.length) {
      // No policy at all: only a conversation that still shows an SLA has anything to undo.
      const [c] = shown
        ? [shown]
        : await this.db
            .select({ slaState: conversations.slaState, slaPolicyId: conversations.slaPolicyId })
            .from(conversations)
            .where(eq(conversations.id, conversationId));
      if (!c || (c.slaState === null && c.slaPolicyId === null)) return;
    }
    await this.uow.run(async (tx, emit) => {
      const conv = await this.conversations.lock(tx, conversationId);
      if (!conv) return;
      const [contact] = await tx
        .select({ tier: contacts.tier })
        .from(contacts)
        .where(eq(contacts.id, conv.contactId));
      const pinned = conv.slaPolicyPinned
        ? policies.find((p) => p.id === conv.slaPolicyId)
        : undefined;
      const policy =
        pinned ??
        selectPolicy(policies, {
          tier: contact?.tier ?? null,
          priority: conv.priority,
          inboxId: conv.inboxId,
          channel: conv.channel,
          level: conv.level,
        });
      const existing = new Map(
        (await tx.select().from(slaClocks).where(eq(slaClocks.conversationId, conversationId))).map(
          (r) => [r.target, r],
        ),
      );
      const ctx: ClockContext = {
        calendar: await this.hours.calendar(policy?.businessHoursId),
        warningPercent: policy?.warningPercent ?? 80,
        now: this.clock.now(),
      };
      const next = new Map<SlaTarget, ClockState>();
      for (const target of TARGETS) {
        const budget = policy ? budgetFor(policy, target, conv.level) : null;
        const before = existing.get(target);
        const state =
          budget === null || conv.status === 'bot' || conv.messageCount === 0
            ? undefined
            : this.advance(target, conv, budget, before ? toState(before) : undefined, ctx);
        if (state) next.set(target, state);
      }
      let changed = false;
      for (const target of TARGETS) {
        const before = existing.get(target);
        const state = next.get(target);
        if (!state) {
          if (before) {
            await tx
              .delete(slaClocks)
              .where(
                and(eq(slaClocks.conversationId, conversationId), eq(slaClocks.target, target)),
              );
            await this.jobs.cancel(tx, SLA_CHECK_JOB, `${conversationId}:${target}`);
            changed = true;
          }
          continue;
        }
        if (before && same(toState(before), state) && before.policyId === (policy?.id ?? null))
          continue;
        changed = true;
        await tx
          .insert(slaClocks)
          .values({ conversationId, target, policyId: policy?.id ?? null, ...state })
          .onConflictDoUpdate({
            target: [slaClocks.conversationId, slaClocks.target],
            set: { policyId: policy?.id ?? null, ...state, updatedAt: new Date() },
          });
        await this.schedule(tx, conversationId, target, state);
      }
      if (!changed && conv.slaPolicyId === (policy?.id ?? null)) return;
      await this.reflect(tx, conv, policy?.id ?? null, next);
      const dto = (await this.conversations.dto(conversationId, tx))!;
      emit('conversation.updated', { conversation: dto, changes: ['sla'] });
    });
  }

  /** One target's clock, moved from what it was to what the conversation says now. */
  private advance(
    target: SlaTarget,
    conv: ConversationRow,
    budget: number,
    before: ClockState | undefined,
    ctx: ClockContext,
  ): ClockState | undefined {
    const paused = conv.status === 'pending' || conv.status === 'snoozed';
    let state = before;
    switch (target) {
      case 'firstResponse':
        state ??= startClock(budget, ctx, conv.createdAt);
        if (conv.firstReplyAt) return meetClock(state, { ...ctx, now: conv.firstReplyAt });
        break;
      case 'nextResponse': {
        // One clock per wait: from the customer's message after our reply to our next reply.
        if (!conv.firstReplyAt) return undefined;
        if (!conv.waitingSince) return state && !state.metAt ? meetClock(state, ctx) : state;
        const since = conv.waitingSince;
        if (!state || (state.metAt && state.metAt < since))
          state = startClock(budget, ctx, since < ctx.now ? since : ctx.now);
        break;
      }
      case 'resolution':
        if (conv.status === 'resolved')
          return state ? meetClock(state, { ...ctx, now: conv.resolvedAt ?? ctx.now }) : undefined;
        // Reopened after it was met: a new resolution clock.
        if (!state || state.metAt)
          state = startClock(budget, ctx, state ? ctx.now : conv.createdAt);
        break;
    }
    state = rebudgetClock(state, budget, ctx);
    return paused ? pauseClock(state, ctx) : resumeClock(state, ctx);
  }

  /** Due times and the worst state onto the conversation, for the list and the thread. */
  private async reflect(
    tx: Tx,
    conv: ConversationRow,
    policyId: string | null,
    clocks: Map<SlaTarget, ClockState>,
  ): Promise<void> {
    const due = (t: SlaTarget) => {
      const c = clocks.get(t);
      return c && !c.metAt ? c.dueAt : null;
    };
    const states = [...clocks.values()].map(clockStatus).filter((s) => s !== 'met');
    const slaState = states.includes('breached')
      ? 'breached'
      : states.includes('warning')
        ? 'warning'
        : states.length
          ? 'ok'
          : null;
    await tx
      .update(conversations)
      .set({
        slaPolicyId: policyId,
        firstResponseDueAt: due('firstResponse'),
        nextResponseDueAt: due('nextResponse'),
        resolutionDueAt: due('resolution'),
        slaState,
      })
      .where(eq(conversations.id, conv.id));
  }

  /** The clock's next moment (its warning, then its due time) as a job; none when it is done. */
  private async schedule(tx: Tx, conversationId: string, target: SlaTarget, c: ClockState) {
    const key = `${conversationId}:${target}`;
    const at =
      c.metAt || !c.runningSince
        ? null
        : !c.warnedAt && c.warnAt
          ? c.warnAt
          : !c.breachedAt
            ? c.dueAt
            : null;
    if (at)
      await this.jobs.enqueue(tx, {
        kind: SLA_CHECK_JOB,
        key,
        payload: { conversationId, target },
        runAt: at,
        replace: true,
      });
    else await this.jobs.cancel(tx, SLA_CHECK_JOB, key);
  }

  /** The `sla.check` job: a warning or a breach, each once, then the next moment. */
  checkHandler(): JobHandler {
    return async (ctx) => {
      const conversationId = String(ctx.job.payload['conversationId']);
      const target = String(ctx.job.payload['target']) as SlaTarget;
      await this.uow.run(async (tx, emit, publish) => {
        await ctx.complete(tx);
        const conv = await this.conversations.lock(tx, conversationId);
        const [row] = await tx
          .select()
          .from(slaClocks)
          .where(and(eq(slaClocks.conversationId, conversationId), eq(slaClocks.target, target)))
          .for('update');
        if (!conv || !row || row.metAt || !row.runningSince) return;
        const now = this.clock.now();
        const fired: ('warning' | 'breached')[] = [];
        const set: Partial<SlaClockRow> = {};
        if (!row.warnedAt && row.warnAt && row.warnAt <= now) {
          set.warnedAt = now;
          fired.push('warning');
        }
        if (!row.breachedAt && row.dueAt && row.dueAt <= now) {
          set.breachedAt = now;
          if (!row.warnedAt && !set.warnedAt) set.warnedAt = now;
          fired.push('breached');
        }
        const state = { ...toState(row), ...set };
        if (fired.length) {
          await tx
            .update(slaClocks)
            .set({ ...set, updatedAt: new Date() })
            .where(and(eq(slaClocks.conversationId, conversationId), eq(slaClocks.target, target)));
          const all = await tx
            .select()
            .from(slaClocks)
            .where(eq(slaClocks.conversationId, conversationId));
          await this.reflect(
            tx,
            conv,
            conv.slaPolicyId,
            new Map(all.map((r) => [r.target, r.target === target ? state : toState(r)])),
          );
        }
        await this.schedule(tx, conversationId, target, state);
        if (!fired.length) return;
        const dto = (await this.conversations.dto(conversationId, tx))!;
        for (const kind of fired) {
          const event = kind === 'warning' ? 'sla.warning' : 'sla.breached';
          emit(event, { conversation: dto, target });
          await publish(event, { conversationId, inboxId: conv.inboxId, target });
        }
        emit('conversation.updated', { conversation: dto, changes: ['sla'] });
      });
    };
  }

  /** After a policy changed: every open conversation's clocks again, in batches, by a job. */
  resyncHandler(): JobHandler {
    return async (ctx) => {
      // The policy changed, perhaps on another instance: this one's copy is old.
      this.forgetPolicies();
      const after = String(ctx.job.payload['after'] ?? '00000000-0000-0000-0000-000000000000');
      const rows = await this.db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(gt(conversations.id, after), sql`${conversations.status} <> 'resolved'`))
        .orderBy(asc(conversations.id))
        .limit(200);
      for (const r of rows) await this.sync(r.id);
      const last = rows.at(-1);
      if (last)
        await this.uow.run(async (tx) => {
          await ctx.complete(tx);
          await this.jobs.enqueue(tx, { kind: SLA_RESYNC_JOB, payload: { after: last.id } });
        });
    };
  }
}
