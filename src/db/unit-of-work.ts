import type { Emit, PendingEvent } from '../events/event-map';
import type { EventService } from '../events/event.service';
import type { Publish } from '../events/domain-events';
import type { DurableEvents } from '../jobs/durable-events';
import type { Db, Tx } from './client';

export type Work<T> = (tx: Tx, emit: Emit, publish: Publish) => Promise<T>;

/**
 * Runs work in one transaction. Live events (socket fan-out) recorded with `emit` go out only
 * after COMMIT, so no listener ever pushes a change that was rolled back; durable events
 * written with `publish` are rows in the same transaction (the outbox), so they commit or
 * vanish with the change.
 */
export class UnitOfWork {
  constructor(
    private readonly db: Db,
    private readonly events: EventService,
    private readonly durable: DurableEvents,
  ) {}

  private readonly inFlight = new Set<Promise<unknown>>();

  async run<T>(work: Work<T>): Promise<T> {
    return this.track((emit, onJobs) =>
      this.db.transaction((tx) =>
        work(tx, emit, async (name, data) => {
          if (await this.durable.publish(tx, name, data)) onJobs();
        }),
      ),
    );
  }

  /** One statement, atomic by itself (a database function): no BEGIN/COMMIT round trips. */
  async statement<T>(work: (db: Db, emit: Emit) => Promise<T>): Promise<T> {
    return this.track((emit) => work(this.db, emit));
  }

  private async track<T>(start: (emit: Emit, onJobs: () => void) => Promise<T>): Promise<T> {
    const pending: PendingEvent[] = [];
    let jobs = false;
    const emit: Emit = (name, payload) => {
      pending.push({ name, payload } as PendingEvent);
    };
    const work = start(emit, () => (jobs = true));
    this.inFlight.add(work);
    try {
      const result = await work;
      if (jobs) pending.push({ name: 'jobs.enqueued', payload: {} });
      this.events.emitAll(pending);
      return result;
    } finally {
      this.inFlight.delete(work);
    }
  }

  /** Resolves when every transaction started so far has committed or rolled back. */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }
}
