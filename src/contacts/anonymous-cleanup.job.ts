import { sql } from 'drizzle-orm';
import { audit } from '../audit/audit';
import type { Tx } from '../db/client';
import { queryRows } from '../db/rows';
import type { UnitOfWork } from '../db/unit-of-work';
import type { Clock } from '../clock';
import type { Logger } from '../logger';

const BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Removes web-chat visitors who never wrote: contacts known only by a widget's visitor id, with
 * no message, no order and no complaint, older than the retention. Since sessions are lazy no
 * new ones are made; this clears those an earlier version created at every page view.
 *
 * A visitor may write at the very moment their contact is removed. Each batch locks its
 * contacts (skipping any an ingest holds), and the deletes re-check that nothing was written;
 * an ingest that found the identity just before and waited for the lock looks the identity up
 * again and creates the contact afresh (ingest_message, migration 0012).
 */
export class AnonymousContactCleanup {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: { retentionDays: number; everyMs: number },
  ) {}

  start(): void {
    const tick = () =>
      void this.sweep().catch((err: unknown) =>
        this.logger.error({ err }, 'anonymous contact cleanup failed'),
      );
    this.timer = setInterval(tick, this.opts.everyMs);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over everything due; returns how many contacts were removed. */
  sweep(): Promise<number> {
    return (this.running ??= this.sweepAll().finally(() => (this.running = undefined)));
  }

  private async sweepAll(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.opts.retentionDays * DAY_MS);
    let total = 0;
    for (;;) {
      const removed = await this.uow.run((tx) => this.batch(tx, cutoff));
      total += removed.deleted;
      if (removed.candidates < BATCH) break;
    }
    if (total) this.logger.info({ removed: total }, 'removed anonymous web-chat contacts');
    return total;
  }

  private async batch(tx: Tx, cutoff: Date): Promise<{ candidates: number; deleted: number }> {
    const candidates = await queryRows<{ id: string }>(
      tx,
      sql`select c.id from contacts c
           where c.created_at < ${cutoff.toISOString()}::timestamptz
             and c.merged_into_id is null and c.notes = ''
             and exists (select 1 from contact_identities i
                          where i.contact_id = c.id and i.kind = 'webchat')
             and not exists (select 1 from contact_identities i
                              where i.contact_id = c.id and i.kind <> 'webchat')
             and not exists (select 1 from conversations v
                              where v.contact_id = c.id and v.message_count > 0)
             and not exists (select 1 from orders o where o.contact_id = c.id)
             and not exists (select 1 from complaints k where k.contact_id = c.id)
             and not exists (select 1 from contacts m where m.merged_into_id = c.id)
           order by c.created_at
           limit ${BATCH}
           for update of c skip locked`,
    );
    if (!candidates.length) return { candidates: 0, deleted: 0 };
    const ids = sql`array[${sql.join(
      candidates.map((c) => sql`${c.id}::uuid`),
      sql`, `,
    )}]`;
    // The empty conversations a widget load used to open; re-checked here, row by row.
    await tx.execute(
      sql`delete from conversations v
           where v.contact_id = any(${ids})
             and v.message_count = 0
             and not exists (select 1 from messages m where m.conversation_id = v.id)`,
    );
    const deleted = await queryRows<{ id: string; name: string; created_at: string }>(
      tx,
      sql`delete from contacts c
           where c.id = any(${ids})
             and not exists (select 1 from conversations v where v.contact_id = c.id)
          returning c.id, c.name, c.created_at`,
    );
    for (const row of deleted) {
      await audit(tx, { type: 'system' }, 'contact', row.id, 'anonymous_removed', {
        name: row.name,
        createdAt: row.created_at,
        retentionDays: this.opts.retentionDays,
      });
    }
    return { candidates: candidates.length, deleted: deleted.length };
  }
}
