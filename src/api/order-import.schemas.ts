import { z } from 'zod';
import { currencySettingsSchema } from '../crm/currency-settings';

const column = z.string().trim().min(1).max(200);

/** Header names for the order fields (the CSV import's column mapping). */
export const columnMapping = z
  .object({
    externalId: column,
    amount: column,
    placedAt: column,
    currency: column.optional(),
    contactId: column.optional(),
    email: column.optional(),
    phone: column.optional(),
  })
  .strict();

/** The synchronous import: the mapping in the query, and whether to only check the file. */
export const orderImportQuery = columnMapping
  .extend({ dryRun: z.enum(['true', 'false']).default('false') })
  .strict();

export const uploadQuery = z.object({ fileName: z.string().max(200).default('') }).strict();

export const startImportBody = z
  .object({ mapping: columnMapping, dryRun: z.boolean().default(false) })
  .strict();

export const currenciesBody = currencySettingsSchema;
