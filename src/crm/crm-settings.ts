import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../db/client';
import { appSettings } from '../db/schema';

/**
 * CRM settings an admin edits, kept in `app_settings` (shared by every instance): the currency
 * orders default to, the CLV horizon, and the predicted-value thresholds of the value tiers
 * written to `contacts.tier` (which SLA policies and routing match on).
 */
export const crmSettingsSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code')
      .refine((c) => Intl.supportedValuesOf('currency').includes(c), 'unknown currency'),
    horizonDays: z.number().int().min(7).max(3650),
    /** Predicted value over the horizon at or above which a contact is `gold` / `silver`. */
    tiers: z
      .object({ gold: z.number().min(0), silver: z.number().min(0) })
      .strict()
      .refine((t) => t.gold >= t.silver, 'gold must be at least silver'),
  })
  .strict();
export type CrmSettings = z.infer<typeof crmSettingsSchema>;

export const DEFAULT_CRM_SETTINGS: CrmSettings = {
  currency: 'USD',
  horizonDays: 365,
  tiers: { gold: 1000, silver: 200 },
};

const KEY = 'crm.settings';

export class CrmSettingsStore {
  constructor(private readonly db: Executor) {}

  async get(db: Executor = this.db): Promise<CrmSettings> {
    const [row] = await db.select().from(appSettings).where(eq(appSettings.key, KEY));
    if (!row) return DEFAULT_CRM_SETTINGS;
    const parsed = crmSettingsSchema.safeParse({
      ...DEFAULT_CRM_SETTINGS,
      ...(JSON.parse(row.value) as object),
    });
    return parsed.success ? parsed.data : DEFAULT_CRM_SETTINGS;
  }

  async set(tx: Executor, settings: CrmSettings): Promise<void> {
    const value = JSON.stringify(settings);
    await tx
      .insert(appSettings)
      .values({ key: KEY, value })
      .onConflictDoUpdate({ target: appSettings.key, set: { value } });
  }
}
