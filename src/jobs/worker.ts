import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/client';
import type { Logger } from '../logger';
import { systemClock, type Clock } from '../clock';
import { retryDelayMs } from './backoff';
import type { ClaimedJob, JobQueue } from './job-queue';

/** What a handler gets: its job, a signal for when it must stop, and fenced ways to finish. */
export interface JobContext {
  job: ClaimedJob;
  /** Aborted when the lease is lost or the server stops: stop working, record nothing. */
  signal: AbortSignal;
  /** Finish inside the handler's own transaction, so effect and completion commit together. */
  complete(tx: Executor): Promise<boolean>;
  retry(tx: Executor, at: Date, error: string): Promise<boolean>;
  giveUp(tx: Executor, error: string): Promise<boolean>;
}

export type JobHandler = (ctx: JobContext) => Promise<void>;

/** A failure the handler understands: permanent, or retryable no sooner than `retryAfterMs`. */
export class JobError extends Error {
  constructor(
    message: string,
    public readonly retryable: boolean,
    public readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'JobError';
  }
}

/** The job's lease was lost while it ran: whoever holds it now finishes it. */
export class LeaseLostError extends Error {
  constructor() {
    super('the job lease was lost');
    this.name = 'LeaseLostError';
  }
}

export interface WorkerOptions {
  pollMs: number;
  leaseMs: number;
  concurrency: number;
}

interface Running {
  job: ClaimedJob;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * One worker for every kind of durable work. Passes never overlap; each claims what is due up
 * to the free concurrency; a heartbeat renews the leases of the jobs in hand and aborts those
 * whose lease is gone. Nothing lives only in a timer: a restart picks the jobs up again.
 */
export class JobWorker {
  readonly id = `worker-${randomUUID().slice(0, 8)}`;
  private readonly handlers = new Map<string, JobHandler>();
  private readonly running = new Map<number, Running>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly queue: JobQueue,
    private readonly logger: Logger,
    private readonly opts: WorkerOptions,
    private readonly clock: Clock = systemClock,
  ) {}

  register(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} is registered twice`);
    this.handlers.set(kind, handler);
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.heartbeat = setInterval(() => void this.renew(), Math.max(50, this.opts.leaseMs / 3));
    this.kick();
  }

  /** Run a pass now (work was just enqueued); passes never overlap. */
  kick(): void {
    if (this.stopped) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.claimAndRun()
      .catch((err: unknown) => this.logger.error({ err }, 'job pass failed'))
      .finally(() => {
        this.pass = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Stops claiming, lets the jobs in hand finish (aborting them after `graceMs`). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.pass;
    const all = () => Promise.allSettled([...this.running.values()].map((r) => r.done));
    const grace = setTimeout(() => {
      for (const r of this.running.values()) r.controller.abort(new Error('server stopping'));
    }, graceMs);
    await all();
    clearTimeout(grace);
    clearInterval(this.heartbeat);
  }

  /** Jobs currently held by this worker (for tests and health). */
  get busy(): number {
    return this.running.size;
  }

  private async claimAndRun(): Promise<void> {
    const free = this.opts.concurrency - this.running.size;
    if (free <= 0) return;
    const claimed = await this.queue.claim(
      [...this.handlers.keys()],
      free,
      this.id,
      this.opts.leaseMs,
      // A test's clock may be ahead of the database's: what is due by it runs now.
      this.clock.now(),
    );
    for (const job of claimed) this.startJob(job);
    // A full batch means more may be due right now.
    if (claimed.length === free) this.again = true;
  }

  private startJob(job: ClaimedJob): void {
    const controller = new AbortController();
    const entry: Running = { job, controller, done: Promise.resolve() };
    this.running.set(job.id, entry);
    entry.done = this.execute(job, controller.signal)
      .catch((err: unknown) =>
        this.logger.error({ err, job: job.id, kind: job.kind }, 'job bookkeeping failed'),
      )
      .finally(() => {
        this.running.delete(job.id);
        if (!this.stopped) this.kick();
      });
  }

  private async execute(job: ClaimedJob, signal: AbortSignal): Promise<void> {
    const handler = this.handlers.get(job.kind)!;
    let settled = false;
    const settle = (p: Promise<boolean>) =>
      p.then((ok) => {
        settled = true;
        if (!ok) throw new LeaseLostError();
        return ok;
      });
    const ctx: JobContext = {
      job,
      signal,
      complete: (tx) => settle(this.queue.complete(job, tx)),
      retry: (tx, at, error) => settle(this.queue.reschedule(job, { runAt: at, error }, tx)),
      giveUp: (tx, error) => settle(this.queue.reschedule(job, { dead: true, error }, tx)),
    };
    try {
      await handler(ctx);
      if (!settled) await this.queue.complete(job);
    } catch (err) {
      if (err instanceof LeaseLostError || signal.aborted) {
        this.logger.warn({ job: job.id, kind: job.kind }, 'job lease lost; left to its new holder');
        return;
      }
      // If the handler's own transaction finished the job and then failed, it rolled back; if
      // it committed, the fenced calls below find no job and change nothing.
      const message = err instanceof Error ? err.message : String(err);
      const retryable = err instanceof JobError ? err.retryable : true;
      if (!retryable || job.attempts >= job.maxAttempts) {
        this.logger.error({ err, job: job.id, kind: job.kind }, 'job failed for good');
        await this.queue.reschedule(job, { dead: true, error: message });
        return;
      }
      const delay =
        err instanceof JobError && err.retryAfterMs !== undefined
          ? err.retryAfterMs
          : retryDelayMs(job.attempts);
      this.logger.warn({ job: job.id, kind: job.kind, delay, reason: message }, 'job will retry');
      await this.queue.reschedule(job, { runAt: new Date(Date.now() + delay), error: message });
    }
  }

  private async renew(): Promise<void> {
    if (!this.running.size) return;
    const held = [...this.running.values()].map((r) => r.job);
    try {
      const kept = await this.queue.renew(held, this.opts.leaseMs);
      for (const job of held) {
        if (!kept.has(job.id)) this.running.get(job.id)?.controller.abort(new LeaseLostError());
      }
    } catch (err) {
      this.logger.warn({ err }, 'could not renew job leases');
    }
  }
}
