import type { Executor } from '../db/client';
import type { DomainEventMap, DomainEventName } from '../events/domain-events';
import type { JobQueue } from './job-queue';
import type { JobContext, JobHandler } from './worker';

type Listener<K extends DomainEventName> = (
  data: DomainEventMap[K],
  ctx: JobContext,
) => Promise<void>;

type AnyListener = (data: never, ctx: JobContext) => Promise<void>;

interface Registered {
  run: AnyListener;
  /**
   * Whether the listener wants events now (outgoing webhooks with no subscription for the
   * event, SLA with no policy): when it says no, no job is written for it. Read at publish
   * time, so it must answer from memory.
   */
  active: () => boolean;
  /**
   * Whether this event is one for the listener, from the event alone (read at publish time; the
   * ingest function writes its own jobs and does not ask).
   */
  wants: (data: never) => boolean;
}

export const EVENT_JOB = 'event';

/**
 * The outbox. Publishing writes one job per registered listener of that event inside the
 * caller's transaction, so an event exists exactly when its change committed; the worker then
 * runs each listener once (retries and fencing as for any job). With no listener nothing is
 * written. Listeners are registered at composition time, before anything is published.
 */
export class DurableEvents {
  private readonly byEvent = new Map<DomainEventName, Map<string, Registered>>();

  constructor(private readonly queue: JobQueue) {}

  on<K extends DomainEventName>(
    event: K,
    name: string,
    run: Listener<K>,
    opts: { active?: () => boolean; wants?: (data: DomainEventMap[K]) => boolean } = {},
  ): void {
    let named = this.byEvent.get(event);
    if (!named) this.byEvent.set(event, (named = new Map()));
    if (named.has(name)) throw new Error(`listener ${name} of ${event} is registered twice`);
    named.set(name, {
      run: run as AnyListener,
      active: opts.active ?? (() => true),
      wants: (opts.wants ?? (() => true)) as (data: never) => boolean,
    });
  }

  /** The listeners that want this event now. */
  listenersOf(event: DomainEventName): string[] {
    const named = this.byEvent.get(event);
    if (!named) return [];
    const out: string[] = [];
    for (const [name, l] of named) if (l.active()) out.push(name);
    return out;
  }

  /** Event → listener names, for the ingest function, which writes its own event jobs. */
  subscriptions(events: DomainEventName[]): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const event of events) {
      const names = this.listenersOf(event);
      if (names.length) out[event] = names;
    }
    return out;
  }

  /** The listeners a job is written for when this event is published now. */
  listenersFor<K extends DomainEventName>(event: K, data: DomainEventMap[K]): string[] {
    const out: string[] = [];
    for (const [listener, l] of this.byEvent.get(event) ?? [])
      if (l.active() && l.wants(data as never)) out.push(listener);
    return out;
  }

  /** Returns how many jobs were written. */
  async publish<K extends DomainEventName>(
    tx: Executor,
    event: K,
    data: DomainEventMap[K],
  ): Promise<number> {
    const listeners = this.listenersFor(event, data);
    for (const listener of listeners)
      await this.queue.enqueue(tx, { kind: EVENT_JOB, payload: { listener, event, data } });
    return listeners.length;
  }

  /** The job handler that runs one listener for one event. */
  handler(): JobHandler {
    return async (ctx) => {
      const { listener, event, data } = ctx.job.payload;
      if (typeof listener !== 'string' || typeof event !== 'string') return;
      const registered = this.byEvent.get(event as DomainEventName)?.get(listener);
      // A listener that no longer exists (removed in an upgrade) has nothing left to do.
      if (!registered) return;
      await registered.run(data as never, ctx);
    };
  }
}
