import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns';
import { businessHours, conversations, users } from './core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** Admin-editable complaint categories, named in each language. */
export const complaintCategories = pgTable('complaint_categories', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  names: jsonb('names').$type<{ en: string; fa: string; ru: string }>().notNull(),
  active: boolean('active').notNull().default(true),
  position: integer('position').notNull().default(0),
  createdAt: createdAt(),
});

export interface SlaAppliesTo {
  tiers?: string[];
  priorities?: string[];
  inboxIds?: string[];
  channels?: string[];
  /** true: complaints only; false: everything but complaints; absent: both. */
  complaint?: boolean;
  levels?: number[];
}

export interface SlaTargets {
  firstResponseMinutes?: number | null;
  nextResponseMinutes?: number | null;
  resolutionMinutes?: number | null;
}

export const slaPolicies = pgTable('sla_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  businessHoursId: uuid('business_hours_id').references(() => businessHours.id, {
    onDelete: 'set null',
  }),
  firstResponseMinutes: integer('first_response_minutes'),
  nextResponseMinutes: integer('next_response_minutes'),
  resolutionMinutes: integer('resolution_minutes'),
  appliesTo: jsonb('applies_to').$type<SlaAppliesTo>().notNull().default({}),
  /** For complaints: targets by level ("2": {resolutionMinutes: 240}) over the defaults. */
  levelTargets: jsonb('level_targets').$type<Record<string, SlaTargets>>().notNull().default({}),
  warningPercent: integer('warning_percent').notNull().default(80),
  position: integer('position').notNull().default(0),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: createdAt(),
});

export type SlaTarget = 'firstResponse' | 'nextResponse' | 'resolution';

/**
 * One SLA clock per conversation and target: business seconds consumed so far and since when it
 * runs (null while paused: waiting on the customer, snoozed); due and warning times derived.
 */
export const slaClocks = pgTable(
  'sla_clocks',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    target: text('target').$type<SlaTarget>().notNull(),
    policyId: uuid('policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
    budgetSeconds: integer('budget_seconds').notNull(),
    consumedSeconds: integer('consumed_seconds').notNull().default(0),
    runningSince: ts('running_since'),
    dueAt: ts('due_at'),
    warnAt: ts('warn_at'),
    warnedAt: ts('warned_at'),
    breachedAt: ts('breached_at'),
    metAt: ts('met_at'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'sla_clocks_pk', columns: [t.conversationId, t.target] })],
);

export interface RuleCondition {
  field: string;
  op: string;
  value?: unknown;
}

export interface RuleAction {
  type: string;
  [param: string]: unknown;
}

export const rules = pgTable(
  'rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    event: text('event').notNull(),
    conditions: jsonb('conditions')
      .$type<{ all?: RuleCondition[]; any?: RuleCondition[] }>()
      .notNull()
      .default({}),
    actions: jsonb('actions').$type<RuleAction[]>().notNull().default([]),
    /** e.g. {cooldownHours: 24}: act at most once per conversation in that time. */
    options: jsonb('options').$type<{ cooldownHours?: number }>().notNull().default({}),
    enabled: boolean('enabled').notNull().default(true),
    position: integer('position').notNull().default(0),
    version: integer('version').notNull().default(1),
    /** The key of a shipped rule (the complaint ladder); null for the admin's own. */
    builtIn: text('built_in'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('rules_built_in_key')
      .on(t.builtIn)
      .where(sql`${t.builtIn} is not null`),
  ],
);

export const ruleVersions = pgTable(
  'rule_versions',
  {
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => rules.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').$type<object>().notNull(),
    actorId: uuid('actor_id'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: 'rule_versions_pk', columns: [t.ruleId, t.version] })],
);

export const ruleRuns = pgTable(
  'rule_runs',
  {
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => rules.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    ranAt: ts('ran_at').notNull(),
  },
  (t) => [index('rule_runs_idx').on(t.ruleId, t.conversationId, t.ranAt)],
);

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    conversationId: uuid('conversation_id').references(() => conversations.id, {
      onDelete: 'cascade',
    }),
    readAt: ts('read_at'),
    createdAt: createdAt(),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

export type SlaPolicyRow = typeof slaPolicies.$inferSelect;
export type SlaClockRow = typeof slaClocks.$inferSelect;
export type RuleRow = typeof rules.$inferSelect;
export type CategoryRow = typeof complaintCategories.$inferSelect;

/** URLs admins subscribe to events; the signing secret is sealed like channel credentials. */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  events: text('events')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  secret: text('secret').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  /** Private and loopback addresses are refused unless an admin allows them (SSRF guard). */
  allowPrivate: boolean('allow_private').notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    state: text('state').$type<'pending' | 'delivered' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    lastResponse: text('last_response'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('webhook_deliveries_subscription_idx').on(t.subscriptionId, t.createdAt)],
);

export type WebhookSubscriptionRow = typeof webhookSubscriptions.$inferSelect;
