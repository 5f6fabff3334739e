import { sql } from 'drizzle-orm';
import type { Db } from './client';
import { queryRows } from './rows';
import { isTransient } from './errors';

/** The database functions that take one JSON call and return one JSON outcome. */
export type BatchedFunction = 'ingest_message' | 'bot_turn_commit';

interface Waiting<C, O> {
  call: C;
  resolve: (outcome: O) => void;
  reject: (err: unknown) => void;
}

export interface FunctionBatcherOptions<C> {
  fn: BatchedFunction;
  /**
   * Calls of one batch run in the order of this key, so two batches take their row locks in the
   * same order and do not wait on each other in a cycle.
   */
  orderKey: (call: C) => string;
  maxBatch?: number;
  maxInFlight?: number;
}

/**
 * Group commit: the calls that arrive in one turn of the event loop (and while earlier batches
 * are in flight) go to the database as one statement, one commit. Under light load a batch is
 * one call and nothing waits; under heavy load batches grow by themselves. One failing call
 * (or a deadlock) must not fail its neighbours: each is then tried again alone.
 */
export class FunctionBatcher<C, O> {
  private readonly queue: Waiting<C, O>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly db: Db,
    private readonly opts: FunctionBatcherOptions<C>,
  ) {
    this.maxBatch = opts.maxBatch ?? 100;
    this.maxInFlight = opts.maxInFlight ?? 4;
  }

  run(call: C): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ call, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.pump();
      });
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.settle(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async settle(batch: Waiting<C, O>[]): Promise<void> {
    try {
      const outcomes = await this.execute(batch.map((w) => w.call));
      batch.forEach((w, i) => w.resolve(outcomes[i]!));
    } catch (err) {
      if (batch.length === 1 && !isTransient(err)) return batch[0]!.reject(err);
      for (const w of batch) {
        try {
          w.resolve(await this.alone(w.call));
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }

  /** One call on its own; a deadlock rolled it back whole, so it runs again (≤ 3 times). */
  private async alone(call: C): Promise<O> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.execute([call]))[0]!;
      } catch (err) {
        if (!isTransient(err) || attempt >= 3) throw err;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  /** Outcomes in the order of `calls`. */
  private async execute(calls: C[]): Promise<O[]> {
    const order = calls
      .map((call, i) => ({ key: this.opts.orderKey(call), call, i }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
    const values = sql.join(
      order.map(({ call, i }, n) => sql`(${i}::int, ${n}::int, ${JSON.stringify(call)}::jsonb)`),
      sql`, `,
    );
    const rows = await queryRows<{ i: number; result: O }>(
      this.db,
      sql`select t.i, ${sql.raw(this.opts.fn)}(t.p) as result
          from (values ${values}) as t(i, n, p) order by t.n`,
    );
    const outcomes: O[] = new Array(calls.length);
    for (const row of rows) outcomes[row.i] = row.result;
    return outcomes;
  }
}
