import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../db/client';
import { appSettings } from '../db/schema';
import type { CurrencyPolicy } from './order-input';

const code = z
  .string()
  .regex(/^[A-Z]{3}$/, 'an ISO 4217 code')
  .refine((c) => Intl.supportedValuesOf('currency').includes(c), 'unknown currency');

/**
 * Which currencies orders may be in besides the base one (`crm.settings` currency), each with
 * the admin's rate: 1 unit of it is `rate` units of the base currency. With no rates, any ISO
 * 4217 currency is accepted and stored as sent; with rates, an order in a listed currency is
 * stored converted into the base currency (the sent amount and currency kept beside it) and an
 * order in any other currency is a per-row error `currency_not_accepted`.
 */
export const currencySettingsSchema = z
  .object({
    rates: z
      .record(code, z.number().positive().max(1e9))
      .refine((r) => Object.keys(r).length <= 50, 'at most 50 currencies'),
  })
  .strict();
export type CurrencySettings = z.infer<typeof currencySettingsSchema>;

const KEY = 'crm.currencies';

export class CurrencySettingsStore {
  constructor(private readonly db: Executor) {}

  async get(db: Executor = this.db): Promise<CurrencySettings> {
    const [row] = await db.select().from(appSettings).where(eq(appSettings.key, KEY));
    if (!row) return { rates: {} };
    const parsed = currencySettingsSchema.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : { rates: {} };
  }

  async set(tx: Executor, settings: CurrencySettings): Promise<void> {
    const value = JSON.stringify(settings);
    await tx
      .insert(appSettings)
      .values({ key: KEY, value })
      .onConflictDoUpdate({ target: appSettings.key, set: { value } });
  }

  /** The policy orders are checked with, given the base currency. */
  async policy(base: string, db: Executor = this.db): Promise<CurrencyPolicy> {
    const { rates } = await this.get(db);
    return { base, rates };
  }
}
