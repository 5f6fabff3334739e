import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';

/**
 * Named leases in the database: one holder at a time per name (an inbox's receiver), renewed
 * by heartbeat. A holder that stops renewing loses it when `expires_at` passes; the next taker
 * gets a higher token, so anything still done under the old token can be told apart.
 */
export class LeaseService {
  constructor(private readonly db: Executor) {}

  /** The token when this holder now holds `name`; null when someone else does. */
  async acquire(name: string, holder: string, ttlMs: number): Promise<number | null> {
    const [row] = await queryRows<{ token: string | number }>(
      this.db,
      sql`insert into leases (name, holder, token, expires_at, acquired_at)
          values (${name}, ${holder}, 1, now() + make_interval(secs => ${ttlMs / 1000}), now())
          on conflict (name) do update
             set holder = excluded.holder,
                 token = leases.token + 1,
                 expires_at = excluded.expires_at,
                 acquired_at = now()
           where leases.expires_at < now() or leases.holder = excluded.holder
          returning token`,
    );
    return row ? Number(row.token) : null;
  }

  /** Extends the lease if this holder still has it under this token. */
  async renew(name: string, holder: string, token: number, ttlMs: number): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      sql`update leases set expires_at = now() + make_interval(secs => ${ttlMs / 1000})
          where name = ${name} and holder = ${holder} and token = ${token} returning name`,
    );
    return rows.length > 0;
  }

  async release(name: string, holder: string, token: number): Promise<void> {
    await this.db.execute(
      sql`delete from leases where name = ${name} and holder = ${holder} and token = ${token}`,
    );
  }
}
