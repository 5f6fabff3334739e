import { z } from 'zod';
import { channelKind, conversationStatus, priority, userRole } from '../db/schema';
import { normalizePhone } from '../../channels/twilio/phone';
import { SEGMENTS } from '../crm/rfm';

// Request bodies are strict: an unknown field is a client bug worth hearing about.
export const uuid = z.string().uuid('must be a UUID');
export const idParam = z.object({ id: uuid }).strict();
export const failedParams = z.object({ id: uuid, failedId: uuid }).strict();
const csv = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values)));
/** A comma-separated list of short free words (e.g. tiers, which admins may name). */
const csvText = z
  .string()
  .max(200)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(1).max(50)).min(1, 'at least one value').max(10));

export const locale = z.enum(['en', 'fa', 'ru']);

/** Keys of free-form maps: never one that means something to JavaScript objects. */
const mapKey = z
  .string()
  .min(1)
  .max(100)
  .refine((k) => !['__proto__', 'constructor', 'prototype'].includes(k), {
    message: 'this key is not allowed',
  });

export const loginBody = z
  .object({ email: z.string().email().max(320), password: z.string().min(1).max(1000) })
  .strict();

export const mePatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    locale: locale.optional(),
    password: z.string().min(8).max(1000).optional(),
    currentPassword: z.string().max(1000).optional(),
    /** Away agents get no new conversations from routing. */
    available: z.boolean().optional(),
  })
  .strict();

export const conversationQuery = z
  .object({
    view: z.enum(['mine', 'unassigned', 'all', 'escalated']).optional(),
    status: csv(conversationStatus.enumValues).optional(),
    channel: csv(channelKind.enumValues).optional(),
    priority: csv(priority.enumValues).optional(),
    label: z.string().max(100).optional(),
    inboxId: uuid.optional(),
    teamId: uuid.optional(),
    assigneeId: uuid.optional(),
    level: z.coerce.number().int().min(0).max(4).optional(),
    /** The contact's value tier (gold, silver, bronze or a tier of one's own). */
    tier: csvText.optional(),
    /** The contact's RFM segment. */
    segment: csv(SEGMENTS).optional(),
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict();

export const conversationPatch = z
  .object({
    status: z.enum(conversationStatus.enumValues).optional(),
    priority: z.enum(priority.enumValues).optional(),
    assigneeId: uuid.nullable().optional(),
    teamId: uuid.nullable().optional(),
    labels: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
    snoozedUntil: z.string().datetime({ offset: true }).nullable().optional(),
  })
  .strict();

export const escalateBody = z
  .object({
    reason: z.string().trim().min(1, 'reason is required').max(2000),
    level: z.number().int().min(1).max(4).optional(),
  })
  .strict();

const emailAddress = z.string().trim().toLowerCase().email('must be an e-mail address').max(320);

/** E-mail conversations: who the reply goes to and its subject (defaults: the thread's). */
export const emailReply = z
  .object({
    to: z.array(emailAddress).max(50).optional(),
    cc: z.array(emailAddress).max(50).optional(),
    bcc: z.array(emailAddress).max(50).optional(),
    subject: z.string().trim().max(998).optional(),
    /** Answer everyone on the thread (its To and CC) rather than only the customer. */
    replyAll: z.boolean().optional(),
  })
  .strict();

export const messageBody = z
  .object({
    text: z.string().max(20_000).default(''),
    private: z.boolean().optional(),
    attachmentIds: z.array(uuid).max(10).optional(),
    email: emailReply.optional(),
  })
  .strict();

export const messagesQuery = z
  .object({ before: uuid.optional(), limit: z.coerce.number().int().min(1).max(500).default(200) })
  .strict();

export const contactPatch = z
  .object({
    name: z.string().trim().max(200).optional(),
    language: z.string().max(20).nullable().optional(),
    preferredChannel: z.enum(channelKind.enumValues).nullable().optional(),
    birthday: z.string().date().nullable().optional(),
    tier: z.string().max(50).nullable().optional(),
    notes: z.string().max(20_000).optional(),
    customAttributes: z
      .record(mapKey, z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
      .optional(),
  })
  .strict();

export const searchQuery = z
  .object({
    q: z.string().trim().min(1).max(200),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export const contactsQuery = z
  .object({
    q: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

/** An agent's phone for forwarded calls: E.164 after normalising what was typed; '' clears it. */
export const agentPhone = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    if (value.trim() === '') return null;
    const e164 = normalizePhone(value);
    if (!e164) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a phone number with its country code, e.g. +15555550100',
      });
      return z.NEVER;
    }
    return e164;
  })
  .nullable();

export const userCreate = z
  .object({
    email: z.string().email().max(320),
    name: z.string().trim().min(1).max(200),
    role: z.enum(userRole.enumValues).default('agent'),
    password: z.string().min(8).max(1000).optional(),
    locale: locale.optional(),
    inboxIds: z.array(uuid).optional(),
    teamIds: z.array(uuid).optional(),
    phone: agentPhone.optional(),
    onDuty: z.boolean().optional(),
  })
  .strict();

export const userPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(userRole.enumValues).optional(),
    active: z.boolean().optional(),
    locale: locale.optional(),
    password: z.string().min(8).max(1000).optional(),
    inboxIds: z.array(uuid).optional(),
    teamIds: z.array(uuid).optional(),
    phone: agentPhone.optional(),
    onDuty: z.boolean().optional(),
    /** Most open conversations routing gives them (admin). */
    capacity: z.number().int().min(0).max(1000).optional(),
    available: z.boolean().optional(),
  })
  .strict();

export const callbackBody = z
  .object({
    outcome: z.enum(['reached', 'no_answer', 'busy', 'left_voicemail', 'wrong_number']),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

export const teamBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(1000).optional(),
    memberIds: z.array(uuid).optional(),
  })
  .strict();

export const inboxBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    channel: z.enum(channelKind.enumValues).optional(),
    enabled: z.boolean().optional(),
    /** New conversations start in status `bot` and the bot answers first. */
    botEnabled: z.boolean().optional(),
    /** round_robin: routing assigns open conversations to online agents; manual: nobody does. */
    routing: z.enum(['manual', 'round_robin']).optional(),
    /** An agent offline this long loses their open conversations of this inbox to the queue. */
    offlineReturnMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .optional(),
    /** Calendar of this inbox (the bot's "when will someone answer", the phone menu). */
    businessHoursId: uuid.nullable().optional(),
    /** Plain settings and the channel's credentials (write-only, see the Inbox schema). */
    settings: z.record(mapKey, z.unknown()).optional(),
    memberIds: z.array(uuid).optional(),
  })
  .strict();

/** "Test connection" of an inbox's credentials, before saving them. */
export const inboxTestBody = z
  .object({
    channel: z.enum(channelKind.enumValues),
    settings: z.record(z.string(), z.unknown()),
    /** An inbox being edited: its credentials sent back masked keep their stored value. */
    inboxId: uuid.optional(),
  })
  .strict();

export const cannedBody = z
  .object({
    shortCode: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[\p{L}\p{N}_-]+$/u, 'letters, digits, _ and - only')
      .optional(),
    content: z.string().min(1).max(5000).optional(),
  })
  .strict();

export const contactLinkBody = z.object({ inboxId: uuid.optional() }).strict();

export const uploadQuery = z.object({ fileName: z.string().trim().min(1).max(255) }).strict();
