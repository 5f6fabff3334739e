import type { Emit, PendingEvent } from '../events/event-map';
import type { EventService } from '../events/event.service';
import type { Db, Tx } from './client';

/**
 * Runs work in one transaction and emits the events it recorded only after COMMIT, so no
 * listener ever sees (or pushes to a socket) a change that was rolled back.
 */
export class UnitOfWork {
  constructor(
    private readonly db: Db,
    private readonly events: EventService,
  ) {}

  private readonly inFlight = new Set<Promise<unknown>>();

  async run<T>(work: (tx: Tx, emit: Emit) => Promise<T>): Promise<T> {
    return this.track((emit) => this.db.transaction((tx) => work(tx, emit)));
  }

  /** One statement, atomic by itself (a database function): no BEGIN/COMMIT round trips. */
  async statement<T>(work: (db: Db, emit: Emit) => Promise<T>): Promise<T> {
    return this.track((emit) => work(this.db, emit));
  }

  private async track<T>(start: (emit: Emit) => Promise<T>): Promise<T> {
    const pending: PendingEvent[] = [];
    const emit: Emit = (name, payload) => {
      pending.push({ name, payload } as PendingEvent);
    };
    const work = start(emit);
    this.inFlight.add(work);
    try {
      const result = await work;
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
