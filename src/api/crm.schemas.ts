import { z } from 'zod';
import { crmSettingsSchema } from '../crm/crm-settings';
import { MAX_ORDERS_PER_REQUEST } from '../crm/order.service';

const uuid = z.string().uuid('must be a UUID');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a real date',
  );

/** Rows are checked one by one by the service (errors per row), so only the envelope is strict. */
export const ordersBody = z
  .object({
    orders: z
      .array(
        z
          .object({
            externalId: z.union([z.string(), z.number()]).optional(),
            contactId: z.string().optional(),
            identity: z.object({ kind: z.string(), value: z.string() }).optional(),
            amount: z.union([z.number(), z.string()]).optional(),
            currency: z.string().optional(),
            placedAt: z.string().optional(),
          })
          .passthrough(),
      )
      .min(1)
      .max(MAX_ORDERS_PER_REQUEST),
  })
  .strict();

export const clvFitBody = z.object({ asOf: isoDate.optional() }).strict();

export const mergeBody = z.object({ contactId: uuid }).strict();
export const mergeParams = z.object({ id: uuid, mergeId: uuid }).strict();

export const crmSettingsBody = crmSettingsSchema;

export const reportQuery = z
  .object({
    from: z.string().min(1),
    to: z.string().min(1),
    inboxId: uuid.optional(),
    teamId: uuid.optional(),
    assigneeId: uuid.optional(),
    businessHoursId: uuid.optional(),
    timeZone: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'an IANA time zone')
      .optional(),
  })
  .strict();

export const churnQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(500).default(50) })
  .strict();
