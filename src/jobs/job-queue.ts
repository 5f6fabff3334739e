import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { jobs } from '../db/schema';

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  /** At most one pending job per (kind, key). */
  key?: string;
  runAt?: Date;
  /**
   * A customer is waiting on it (a reply to send): written as due a minute ago, so the worker
   * (which takes what is due oldest first) takes it ahead of bookkeeping that is already due.
   */
  urgent?: boolean;
  maxAttempts?: number;
  /**
   * With a key: a pending job of that key takes this one's payload and time (a re-snooze),
   * and one already running loses its lease, so its fenced completion cannot swallow the change.
   */
  replace?: boolean;
}

/** How far back urgent work is dated (the bot's turns are dated the same way in SQL). */
export const URGENT_LEAD_MS = 60_000;

/** A job as a worker holds it: `leaseToken` proves the claim is still ours. */
export interface ClaimedJob {
  id: number;
  kind: string;
  key: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  leaseToken: number;
}

interface ClaimedRow {
  id: string | number;
  kind: string;
  key: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  lease_token: string | number;
}

/**
 * The `jobs` table. Due jobs are claimed with FOR UPDATE SKIP LOCKED through the partial index on
 * `run_at`, so a pass costs what is due, not what is stored. Every transition after a claim is
 * conditional on the lease token: a worker whose lease ran out can no longer finish the job.
 */
export class JobQueue {
  constructor(private readonly db: Executor) {}

  /** Inside the caller's transaction: the job exists if and only if the change commits. */
  async enqueue(tx: Executor, job: NewJob): Promise<void> {
    const values = {
      kind: job.kind,
      key: job.key ?? null,
      payload: job.payload,
      runAt: job.runAt ?? new Date(Date.now() - (job.urgent ? URGENT_LEAD_MS : 0)),
      ...(job.maxAttempts ? { maxAttempts: job.maxAttempts } : {}),
    };
    if (job.key === undefined) {
      await tx.insert(jobs).values(values);
      return;
    }
    await tx
      .insert(jobs)
      .values(values)
      .onConflictDoUpdate({
        target: [jobs.kind, jobs.key],
        targetWhere: sql`${jobs.key} is not null and ${jobs.state} = 'pending'`,
        set: job.replace
          ? {
              payload: values.payload,
              runAt: values.runAt,
              attempts: 0,
              leaseToken: null,
              lockedBy: null,
              lockedUntil: null,
              updatedAt: new Date(),
            }
          : { updatedAt: sql`${jobs.updatedAt}` },
      });
  }

  /**
   * Takes a keyed job nobody holds, in the caller's transaction (it is done when that commits):
   * false when it is gone or a worker has it (then that worker does the work).
   */
  async takeKeyed(tx: Executor, kind: string, key: string): Promise<boolean> {
    const rows = await queryRows(
      tx,
      sql`delete from jobs where kind = ${kind} and key = ${key} and state = 'pending'
            and (locked_until is null or locked_until < now()) returning id`,
    );
    return rows.length > 0;
  }

  /** A keyed job's work failed where it was tried first: the worker takes it now (with retries). */
  async dueNow(kind: string, key: string): Promise<void> {
    await this.db.execute(
      sql`update jobs set run_at = now(), updated_at = now()
           where kind = ${kind} and key = ${key} and state = 'pending' and locked_until is null`,
    );
  }

  async cancel(tx: Executor, kind: string, key: string): Promise<void> {
    await tx.execute(
      sql`delete from ${jobs} where kind = ${kind} and key = ${key} and state = 'pending'`,
    );
  }

  /**
   * Claims jobs due at `now` (the worker's clock, which tests move) that nobody holds: a claim
   * holds a job until `locked_until`, on the database's own clock, renewed by heartbeat.
   */
  async claim(
    kinds: string[],
    limit: number,
    worker: string,
    leaseMs: number,
    now: Date = new Date(),
  ): Promise<ClaimedJob[]> {
    if (!kinds.length || limit <= 0) return [];
    const kindList = sql.join(
      kinds.map((k) => sql`${k}`),
      sql`, `,
    );
    const rows = await queryRows<ClaimedRow>(
      this.db,
      sql`
      with due as (
        select id from jobs
        where state = 'pending' and run_at <= greatest(now(), ${now.toISOString()}::timestamptz)
          and (locked_until is null or locked_until < now())
          and kind in (${kindList})
        order by run_at
        limit ${limit}
        for update skip locked
      )
      update jobs j
         set attempts = j.attempts + 1,
             locked_until = now() + make_interval(secs => ${leaseMs / 1000}),
             lease_token = nextval('job_lease_seq'),
             locked_by = ${worker},
             updated_at = now()
        from due where j.id = due.id
      returning j.id, j.kind, j.key, j.payload, j.attempts, j.max_attempts, j.lease_token`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      key: r.key,
      payload: r.payload,
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
      leaseToken: Number(r.lease_token),
    }));
  }

  /** Extends the leases still held; returns the ids that were extended (the others are lost). */
  async renew(held: ClaimedJob[], leaseMs: number): Promise<Set<number>> {
    if (!held.length) return new Set();
    const pairs = sql.join(
      held.map((j) => sql`(${j.id}::bigint, ${j.leaseToken}::bigint)`),
      sql`, `,
    );
    const rows = await queryRows<{ id: string | number }>(
      this.db,
      sql`update jobs set locked_until = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
          where (id, lease_token) in (${pairs}) and state = 'pending'
          returning id`,
    );
    return new Set(rows.map((r) => Number(r.id)));
  }

  /** Done: the job row goes. False when the lease was lost (someone else owns the job now). */
  async complete(job: ClaimedJob, tx: Executor = this.db): Promise<boolean> {
    const rows = await queryRows(
      tx,
      sql`delete from jobs where id = ${job.id} and lease_token = ${job.leaseToken} returning id`,
    );
    return rows.length > 0;
  }

  /** Try again at `runAt` (kept `pending`), or give up (`dead`) with the reason. */
  async reschedule(
    job: ClaimedJob,
    outcome: { runAt: Date; error: string } | { dead: true; error: string },
    tx: Executor = this.db,
  ): Promise<boolean> {
    const rows = await queryRows(
      tx,
      'dead' in outcome
        ? sql`update jobs set state = 'dead', last_error = ${outcome.error}, lease_token = null,
                locked_by = null, locked_until = null, updated_at = now()
              where id = ${job.id} and lease_token = ${job.leaseToken} returning id`
        : sql`update jobs set run_at = ${outcome.runAt.toISOString()}::timestamptz,
                last_error = ${outcome.error}, lease_token = null, locked_by = null,
                locked_until = null, updated_at = now()
              where id = ${job.id} and lease_token = ${job.leaseToken} returning id`,
    );
    return rows.length > 0;
  }

  /** When the next pending job is due (for the worker's timer), or null when none is. */
  async nextDue(kinds: string[]): Promise<Date | null> {
    if (!kinds.length) return null;
    const kindList = sql.join(
      kinds.map((k) => sql`${k}`),
      sql`, `,
    );
    const [row] = await queryRows<{ run_at: string | Date | null }>(
      this.db,
      sql`select min(run_at) as run_at from jobs where state = 'pending' and kind in (${kindList})`,
    );
    return row?.run_at ? new Date(row.run_at) : null;
  }
}
