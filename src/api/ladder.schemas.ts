import { z } from 'zod';
import { channelKind, priority } from '../db/schema';
import { WEBHOOK_EVENTS } from '../webhooks/webhook.service';
import { uuid } from './schemas';

// Request bodies of the complaint ladder: complaints, business hours, SLA policies, rules,
// notifications and outgoing webhooks. Strict, like every body.

const text = (max: number) => z.string().trim().max(max);

export const complaintBody = z
  .object({
    category: z.string().trim().min(1).max(50),
    severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
    description: text(5000).optional(),
    desiredOutcome: text(2000).optional(),
  })
  .strict();

export const complaintPatch = z
  .object({
    category: z.string().trim().min(1).max(50).optional(),
    severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
    description: text(5000).nullable().optional(),
    desiredOutcome: text(2000).nullable().optional(),
    offered: text(2000).nullable().optional(),
    rootCause: text(2000).nullable().optional(),
    resolution: text(5000).nullable().optional(),
    status: z.enum(['open', 'resolved', 'closed']).optional(),
  })
  .strict();

const csvNumbers = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.enum(['open', 'reopened', 'resolved', 'closed'])));

export const complaintQuery = z
  .object({
    /** Minimum level. */
    level: z.coerce.number().int().min(1).max(4).optional(),
    /** Comma-separated: open, reopened, resolved, closed. */
    status: csvNumbers.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

const names = z
  .object({
    en: z.string().trim().min(1).max(100),
    fa: z.string().trim().min(1).max(100),
    ru: z.string().trim().min(1).max(100),
  })
  .strict();

export const categoryBody = z
  .object({
    key: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[a-z0-9_-]+$/, 'lower-case letters, digits, _ and - only')
      .optional(),
    names: names.optional(),
    active: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (24-hour)');
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const businessHoursBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    timeZone: z.string().min(1).max(64),
    weekly: z
      .array(z.object({ day: z.number().int().min(0).max(6), open: hhmm, close: hhmm }).strict())
      .max(70),
    holidays: z.array(isoDay).max(1000).default([]),
  })
  .strict();

export const dueQuery = z
  .object({
    from: z.string().datetime({ offset: true }),
    minutes: z.coerce
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 366),
  })
  .strict();

const minutes = z
  .number()
  .int()
  .positive()
  .max(60 * 24 * 365)
  .nullable();
const targets = z
  .object({
    firstResponseMinutes: minutes.optional(),
    nextResponseMinutes: minutes.optional(),
    resolutionMinutes: minutes.optional(),
  })
  .strict();

export const slaPolicyBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    businessHoursId: uuid.nullable().optional(),
    firstResponseMinutes: minutes.optional(),
    nextResponseMinutes: minutes.optional(),
    resolutionMinutes: minutes.optional(),
    appliesTo: z
      .object({
        tiers: z.array(z.string().trim().min(1).max(30)).max(20).optional(),
        priorities: z.array(z.enum(priority.enumValues)).optional(),
        inboxIds: z.array(uuid).max(200).optional(),
        channels: z.array(z.enum(channelKind.enumValues)).optional(),
        complaint: z.boolean().optional(),
        levels: z.array(z.number().int().min(1).max(4)).optional(),
      })
      .strict()
      .optional(),
    /** Complaint targets by level ("1".."4"), over the defaults above. */
    levelTargets: z.partialRecord(z.enum(['1', '2', '3', '4']), targets).optional(),
    warningPercent: z.number().int().min(1).max(99).optional(),
    position: z.number().int().min(0).max(10_000).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const notificationQuery = z
  .object({ unread: z.enum(['true', 'false']).optional() })
  .strict();
export const notificationRead = z.object({ ids: z.array(uuid).min(1).max(500) }).strict();

export const webhookBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    url: z.string().trim().url().max(2000).optional(),
    events: z.array(z.enum(WEBHOOK_EVENTS)).max(WEBHOOK_EVENTS.length).optional(),
    enabled: z.boolean().optional(),
    /** Private and loopback addresses are refused unless this is set (an admin's decision). */
    allowPrivate: z.boolean().optional(),
    rotateSecret: z.boolean().optional(),
  })
  .strict();

export const deliveryParams = z.object({ id: uuid, deliveryId: uuid }).strict();
