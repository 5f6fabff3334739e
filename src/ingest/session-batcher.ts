import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { queryRows } from '../db/rows';

/** One web-chat message for ingest_into_session() (migration 0001). */
export interface SessionCall {
  conversationId: string;
  contactId: string;
  inboxId: string;
  reopenHours: number;
  text: string;
  searchText: string;
  preview: string;
  providerMessageId: string;
  at: Date;
}

export type SessionOutcome =
  | { outcome: 'fallback' | 'duplicate' }
  | {
      outcome: 'stored';
      message: Record<string, unknown>;
      conversation: Record<string, unknown>;
      contactName: string;
      firstMessage: boolean;
    };

interface Waiting {
  call: SessionCall;
  resolve: (outcome: SessionOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for web chat: the messages that arrive in one turn of the event loop (and while
 * earlier batches are in flight) go to the database as one statement, one commit. Under light
 * load a batch is one message and nothing waits; under heavy load batches grow by themselves.
 */
export class SessionBatcher {
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

  run(call: SessionCall): Promise<SessionOutcome> {
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
      if (batch.length === 1) return batch[0]!.reject(err);
      // One bad message must not fail its neighbours: retry each alone.
      for (const w of batch) {
        try {
          w.resolve((await this.execute([w.call]))[0]!);
        } catch (single) {
          w.reject(single);
        }
      }
    }
  }

  /** Outcomes in the order of `calls`. Rows are locked in conversation-id order, so two
   *  concurrent batches never wait on each other in a cycle. */
  private async execute(calls: SessionCall[]): Promise<SessionOutcome[]> {
    const order = calls
      .map((call, i) => ({ call, i }))
      .sort((a, b) =>
        a.call.conversationId < b.call.conversationId
          ? -1
          : a.call.conversationId > b.call.conversationId
            ? 1
            : a.i - b.i,
      );
    const values = sql.join(
      order.map(
        ({ call: c, i }) =>
          sql`(${i}::int, ${c.conversationId}::uuid, ${c.contactId}::uuid, ${c.inboxId}::uuid, ${c.reopenHours}::float8,
               ${c.text}::text, ${c.searchText}::text, ${c.preview}::text, ${c.providerMessageId}::text, ${c.at.toISOString()}::timestamptz)`,
      ),
      sql`, `,
    );
    const rows = await queryRows<{ i: number; result: SessionOutcome }>(
      this.db,
      sql`select t.i, ingest_into_session(t.conversation, t.contact, t.inbox, t.hours, t.body, t.search, t.preview, t.provider_id, t.at) as result
          from (values ${values}) as t(i, conversation, contact, inbox, hours, body, search, preview, provider_id, at)`,
    );
    const outcomes: SessionOutcome[] = new Array(calls.length);
    for (const row of rows) outcomes[row.i] = row.result;
    return outcomes;
  }
}
