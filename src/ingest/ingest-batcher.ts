import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';
import { isTransient } from '../db/errors';

/** The argument of ingest_message() (migrations 0002, 0003): one inbound message, as JSON. */
export interface IngestCall {
  inbox: string;
  channel: string;
  kind: string;
  value: string;
  [field: string]: unknown;
}

export type IngestOutcome =
  | { outcome: 'duplicate'; message_id?: string }
  | {
      /** A later part of a message delivered in parts was added to it. */
      outcome: 'appended';
      message: Record<string, unknown>;
      attachments: Record<string, unknown>[];
    }
  | {
      outcome: 'stored';
      message: Record<string, unknown>;
      conversation: Record<string, unknown>;
      contact: { id: string; name: string };
      attachments: Record<string, unknown>[];
      first_message: boolean;
      contact_created: boolean;
      assignee_name: string | null;
      team_name: string | null;
    };

interface Waiting {
  call: IngestCall;
  resolve: (outcome: IngestOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for every channel: the messages that arrive in one turn of the event loop (and
 * while earlier batches are in flight) go to the database as one statement, one commit. Under
 * light load a batch is one message and nothing waits; under heavy load batches grow by
 * themselves.
 */
export class IngestBatcher {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly opts: { maxBatch: number; maxInFlight: number } = {
      maxBatch: 100,
      maxInFlight: 4,
    },
  ) {}

  run(call: IngestCall): Promise<IngestOutcome> {
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
    while (this.inFlight < this.opts.maxInFlight && this.queue.length) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight++;
      void this.settle(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async settle(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.execute(batch.map((w) => w.call));
      batch.forEach((w, i) => w.resolve(outcomes[i]!));
    } catch (err) {
      if (batch.length === 1 && !isTransient(err)) return batch[0]!.reject(err);
      // One bad message (or a deadlock with another batch or with an agent's write) must not
      // fail its neighbours: each is tried again alone, a deadlock victim a few times.
      for (const w of batch) {
        try {
          w.resolve(await this.alone(w.call));
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }

  /** One message on its own; a deadlock rolled it back whole, so it runs again (≤ 3 times). */
  private async alone(call: IngestCall): Promise<IngestOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.execute([call]))[0]!;
      } catch (err) {
        if (!isTransient(err) || attempt >= 3) throw err;
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  /**
   * Outcomes in the order of `calls`. Calls run in the order of their identity, so two batches
   * lock contacts in the same order and do not wait on each other in a cycle.
   */
  private async execute(calls: IngestCall[]): Promise<IngestOutcome[]> {
    const order = calls
      .map((call, i) => ({ key: `${call.kind}\u0000${call.value}`, call, i }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
    const values = sql.join(
      order.map(({ call, i }, n) => sql`(${i}::int, ${n}::int, ${JSON.stringify(call)}::jsonb)`),
      sql`, `,
    );
    const rows = await queryRows<{ i: number; result: IngestOutcome }>(
      this.db,
      sql`select t.i, ingest_message(t.p) as result
          from (values ${values}) as t(i, n, p) order by t.n`,
    );
    const outcomes: IngestOutcome[] = new Array(calls.length);
    for (const row of rows) outcomes[row.i] = row.result;
    return outcomes;
  }
}
