import { z } from 'zod';
import { compileKeywords, findKeywords, type CompiledKeyword } from './keywords';

/**
 * Rules: on an event, if conditions hold, do actions. This module is the pure part: what a
 * rule may say (validated), and whether its conditions hold over the facts of one event.
 */

export const RULE_EVENTS = [
  'conversation.created',
  'message.created',
  'conversation.updated',
  'sla.warning',
  'sla.breached',
  'complaint.created',
  'complaint.reopened',
  'csat.received',
] as const;
export type RuleEvent = (typeof RULE_EVENTS)[number];

/** What conditions can look at, and of what type. */
export const FIELDS = {
  'conversation.status': 'string',
  'conversation.channel': 'string',
  'conversation.inboxId': 'string',
  'conversation.priority': 'string',
  'conversation.labels': 'list',
  'conversation.assigned': 'boolean',
  'contact.tier': 'string',
  'contact.lifetimeValue': 'number',
  'contact.language': 'string',
  'complaint.exists': 'boolean',
  'complaint.level': 'number',
  'complaint.status': 'string',
  'complaint.category': 'string',
  'complaint.legalFlag': 'boolean',
  'complaint.reopenCount': 'number',
  /** The customer came back about an open complaint (after our reply, or on another channel). */
  'complaint.repeatContact': 'boolean',
  /** Conversations of this customer about complaints in the last 7 days. */
  'contact.complaintConversations7d': 'number',
  'message.text': 'text',
  'message.direction': 'string',
  'message.autoReply': 'boolean',
  'sla.target': 'string',
  'csat.rating': 'number',
} as const;
export type Field = keyof typeof FIELDS;

const OPS = {
  string: ['eq', 'neq', 'in', 'notIn', 'exists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists'],
  boolean: ['eq'],
  list: ['contains', 'notContains'],
  text: ['containsAny', 'notContainsAny'],
} as const;

export const conditionSchema = z
  .object({
    field: z.enum(Object.keys(FIELDS) as [Field, ...Field[]]),
    op: z.string(),
    value: z.unknown().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const type = FIELDS[c.field];
    const ops: readonly string[] = OPS[type];
    if (!ops.includes(c.op)) {
      ctx.addIssue({ code: 'custom', message: `${c.field} takes ${ops.join(', ')}` });
      return;
    }
    const v = c.value;
    const ok =
      c.op === 'exists'
        ? v === undefined || typeof v === 'boolean'
        : c.op === 'in' || c.op === 'notIn'
          ? Array.isArray(v) &&
            v.every((x) => typeof x === (type === 'number' ? 'number' : 'string'))
          : c.op === 'containsAny' || c.op === 'notContainsAny'
            ? Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.trim())
            : type === 'number'
              ? typeof v === 'number'
              : type === 'boolean'
                ? typeof v === 'boolean'
                : typeof v === 'string';
    if (!ok) ctx.addIssue({ code: 'custom', message: `value does not fit ${c.field} ${c.op}` });
  });
export type Condition = z.infer<typeof conditionSchema>;

export const conditionsSchema = z
  .object({
    all: z.array(conditionSchema).max(50).optional(),
    any: z.array(conditionSchema).max(50).optional(),
  })
  .strict();
export type Conditions = z.infer<typeof conditionsSchema>;

const text3 = z.object({ en: z.string().min(1), fa: z.string().min(1), ru: z.string().min(1) });

export const actionSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('escalate'),
      level: z.number().int().min(1).max(4).optional(),
      reason: z.string().max(500).optional(),
    })
    .strict(),
  z.object({ type: z.literal('openComplaint'), category: z.string().min(1).max(50) }).strict(),
  z.object({ type: z.literal('assignTeam'), teamId: z.string().uuid() }).strict(),
  z.object({ type: z.literal('assignAgent'), userId: z.string().uuid() }).strict(),
  z
    .object({
      type: z.literal('setPriority'),
      priority: z.enum(['none', 'low', 'medium', 'high', 'urgent']),
    })
    .strict(),
  z.object({ type: z.literal('addLabel'), label: z.string().trim().min(1).max(50) }).strict(),
  z.object({ type: z.literal('notifySupervisors'), message: z.string().min(1).max(1000) }).strict(),
  z.object({ type: z.literal('sendMessage'), text: text3 }).strict(),
  z.object({ type: z.literal('sendTemplate'), cannedResponseId: z.string().uuid() }).strict(),
  z.object({ type: z.literal('flagLegal') }).strict(),
  z.object({ type: z.literal('applySla'), policyId: z.string().uuid() }).strict(),
  z.object({ type: z.literal('callWebhook'), webhookId: z.string().uuid() }).strict(),
]);
export type Action = z.infer<typeof actionSchema>;

export const ruleSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    event: z.enum(RULE_EVENTS),
    conditions: conditionsSchema.default({}),
    actions: z.array(actionSchema).min(1).max(20),
    enabled: z.boolean().default(true),
    options: z
      .object({
        cooldownHours: z
          .number()
          .positive()
          .max(24 * 365)
          .optional(),
      })
      .strict()
      .default({}),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();
export type RuleDefinition = z.infer<typeof ruleSchema>;

/** The facts of one event, as conditions see them (missing parts are absent, not errors). */
export type Facts = Partial<Record<Field, unknown>>;

/** Keyword lists compiled once per rule and reused across events. */
const compiled = new WeakMap<readonly unknown[], CompiledKeyword[]>();
function keywordsOf(value: unknown): CompiledKeyword[] {
  const list = Array.isArray(value) ? value : [];
  let k = compiled.get(list);
  if (!k)
    compiled.set(
      list,
      (k = compileKeywords(list.filter((x): x is string => typeof x === 'string'))),
    );
  return k;
}

export function holds(c: Condition, facts: Facts): boolean {
  const actual = facts[c.field];
  const v = c.value;
  switch (c.op) {
    case 'exists':
      return (actual !== undefined && actual !== null) === (v ?? true);
    case 'eq':
      return actual === v;
    case 'neq':
      return actual !== v;
    case 'in':
      return Array.isArray(v) && v.includes(actual);
    case 'notIn':
      return Array.isArray(v) && !v.includes(actual);
    case 'gt':
      return typeof actual === 'number' && typeof v === 'number' && actual > v;
    case 'gte':
      return typeof actual === 'number' && typeof v === 'number' && actual >= v;
    case 'lt':
      return typeof actual === 'number' && typeof v === 'number' && actual < v;
    case 'lte':
      return typeof actual === 'number' && typeof v === 'number' && actual <= v;
    case 'contains':
      return Array.isArray(actual) && actual.includes(v);
    case 'notContains':
      return !Array.isArray(actual) || !actual.includes(v);
    case 'containsAny':
      return typeof actual === 'string' && findKeywords(actual, keywordsOf(v)).length > 0;
    case 'notContainsAny':
      return typeof actual !== 'string' || findKeywords(actual, keywordsOf(v)).length === 0;
    default:
      return false;
  }
}

/** All of `all` hold and, when `any` is given, at least one of it. */
export function conditionsHold(conditions: Conditions, facts: Facts): boolean {
  if (conditions.all && !conditions.all.every((c) => holds(c, facts))) return false;
  if (conditions.any?.length && !conditions.any.some((c) => holds(c, facts))) return false;
  return true;
}
