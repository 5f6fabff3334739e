import { and, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Db, Executor } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { agentPresence, inboxes, inboxMembers, users } from '../db/schema';
import type { JobQueue } from '../jobs/job-queue';
import type { JobHandler } from '../jobs/worker';
import type { Logger } from '../logger';
import { PRESENCE_TTL_SECONDS, type RoutingService } from './routing.service';

export const OFFLINE_JOB = 'routing.offline';

const fresh = sql`${agentPresence.seenAt} > now() - make_interval(secs => ${PRESENCE_TTL_SECONDS})`;

/**
 * Which agents are online, across instances: each instance keeps one row per agent with sockets
 * on it and refreshes it while they stay; an instance that dies stops refreshing and its rows go
 * stale. When an agent's last socket anywhere goes, a job is scheduled for the moment their
 * conversations should return to the queue; coming back before it cancels nothing but makes the
 * job find them online.
 */
export class PresenceService {
  private readonly local = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
    private readonly routing: RoutingService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: { instance: string; heartbeatMs: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.heartbeat(), this.opts.heartbeatMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const users = [...this.local.keys()];
    this.local.clear();
    await this.db.delete(agentPresence).where(eq(agentPresence.instance, this.opts.instance));
    for (const id of users) await this.wentAway(id).catch(() => undefined);
  }

  /** An agent's socket connected to this instance. */
  async connected(userId: string): Promise<void> {
    const n = (this.local.get(userId) ?? 0) + 1;
    this.local.set(userId, n);
    await this.db
      .insert(agentPresence)
      .values({ userId, instance: this.opts.instance, sockets: n })
      .onConflictDoUpdate({
        target: [agentPresence.userId, agentPresence.instance],
        set: { sockets: n, seenAt: sql`now()` },
      });
    if (n > 1) return;
    await this.db.update(users).set({ offlineSince: null }).where(eq(users.id, userId));
    await this.routing.routeForUser(userId);
  }

  async disconnected(userId: string): Promise<void> {
    const n = (this.local.get(userId) ?? 1) - 1;
    if (n > 0) {
      this.local.set(userId, n);
      await this.db
        .update(agentPresence)
        .set({ sockets: n })
        .where(
          and(eq(agentPresence.userId, userId), eq(agentPresence.instance, this.opts.instance)),
        );
      return;
    }
    this.local.delete(userId);
    await this.db
      .delete(agentPresence)
      .where(and(eq(agentPresence.userId, userId), eq(agentPresence.instance, this.opts.instance)));
    await this.wentAway(userId);
  }

  /** The agent changed their own switch (available again: they may get conversations now). */
  async availabilityChanged(userId: string, available: boolean): Promise<void> {
    if (available) await this.routing.routeForUser(userId);
  }

  private async heartbeat(): Promise<void> {
    try {
      const ids = [...this.local.keys()];
      if (ids.length)
        await this.db
          .update(agentPresence)
          .set({ seenAt: sql`now()` })
          .where(
            and(eq(agentPresence.instance, this.opts.instance), inArray(agentPresence.userId, ids)),
          );
      // Rows of instances that died: their agents are gone unless online elsewhere.
      const stale = await this.db
        .delete(agentPresence)
        .where(
          and(
            ne(agentPresence.instance, this.opts.instance),
            lt(agentPresence.seenAt, sql`now() - make_interval(secs => ${PRESENCE_TTL_SECONDS})`),
          ),
        )
        .returning({ userId: agentPresence.userId });
      for (const s of new Set(stale.map((r) => r.userId))) await this.wentAway(s);
    } catch (err) {
      this.logger.warn({ err }, 'presence heartbeat failed');
    }
  }

  /** If the agent has no socket anywhere: offline since now, and their return job. */
  private async wentAway(userId: string): Promise<void> {
    const [still] = await this.db
      .select({ n: sql<number>`1` })
      .from(agentPresence)
      .where(and(eq(agentPresence.userId, userId), fresh))
      .limit(1);
    if (still) return;
    const now = this.clock.now();
    await this.uow.run(async (tx, emit) => {
      await tx
        .update(users)
        .set({ offlineSince: now })
        .where(and(eq(users.id, userId), sql`${users.offlineSince} is null`));
      const wait = await this.soonestReturn(tx, userId);
      if (wait === null) return;
      await this.jobs.enqueue(tx, {
        kind: OFFLINE_JOB,
        key: userId,
        payload: { userId },
        runAt: new Date(now.getTime() + wait * 60_000),
        replace: true,
      });
      emit('jobs.enqueued', {});
    });
  }

  /** Minutes until the first of the agent's round-robin inboxes takes their conversations back. */
  private async soonestReturn(db: Executor, userId: string) {
    const [row] = await db
      .select({ m: sql<number | null>`min(${inboxes.offlineReturnMinutes})` })
      .from(inboxMembers)
      .innerJoin(inboxes, eq(inboxes.id, inboxMembers.inboxId))
      .where(and(eq(inboxMembers.userId, userId), eq(inboxes.routing, 'round_robin')));
    return row?.m ?? null;
  }

  /** The return job: inboxes whose wait has passed get the conversations back; later ones wait. */
  offlineHandler(): JobHandler {
    return async (ctx) => {
      const userId = String(ctx.job.payload['userId']);
      const [online] = await this.db
        .select({ n: sql<number>`1` })
        .from(agentPresence)
        .where(and(eq(agentPresence.userId, userId), fresh))
        .limit(1);
      const [user] = await this.db
        .select({ offlineSince: users.offlineSince })
        .from(users)
        .where(eq(users.id, userId));
      if (online || !user?.offlineSince) return;
      const away = (this.clock.now().getTime() - user.offlineSince.getTime()) / 60_000;
      const rows = await this.db
        .select({ id: inboxes.id, minutes: inboxes.offlineReturnMinutes })
        .from(inboxMembers)
        .innerJoin(inboxes, eq(inboxes.id, inboxMembers.inboxId))
        .where(and(eq(inboxMembers.userId, userId), eq(inboxes.routing, 'round_robin')));
      const due = rows.filter((r) => r.minutes <= away).map((r) => r.id);
      const returned = await this.routing.returnToQueue(userId, due);
      if (returned)
        this.logger.info({ user: userId, returned }, 'conversations of an offline agent returned');
      const later = rows.filter((r) => r.minutes > away).map((r) => r.minutes);
      if (later.length) {
        const at = new Date(user.offlineSince.getTime() + Math.min(...later) * 60_000);
        await this.uow.run((tx) => ctx.retry(tx, at, 'waiting for the next inbox'));
      }
    };
  }
}
