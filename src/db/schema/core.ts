import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

export const userRole = pgEnum('user_role', ['admin', 'supervisor', 'agent']);
export const channelKind = pgEnum('channel_kind', [
  'webchat',
  'sms',
  'voice',
  'email',
  'telegram',
  'botframework',
]);
export const identityKind = pgEnum('identity_kind', [
  'phone',
  'email',
  'telegram',
  'webchat',
  'botframework',
]);
export const conversationStatus = pgEnum('conversation_status', [
  'bot',
  'open',
  'pending',
  'snoozed',
  'resolved',
]);
export const priority = pgEnum('priority', ['none', 'low', 'medium', 'high', 'urgent']);
export const direction = pgEnum('direction', ['in', 'out']);
export const senderType = pgEnum('sender_type', ['contact', 'user', 'bot', 'system']);
export const messageStatus = pgEnum('message_status', [
  'received',
  'queued',
  'sent',
  'delivered',
  'read',
  'failed',
]);
export const complaintStatus = pgEnum('complaint_status', [
  'open',
  'resolved',
  'reopened',
  'closed',
]);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: userRole('role').notNull().default('agent'),
    locale: text('locale').notNull().default('en'),
    active: boolean('active').notNull().default(true),
    /** E.164; calls the phone menu forwards ring it while `onDuty`. */
    phone: text('phone'),
    onDuty: boolean('on_duty').notNull().default(false),
    /** Most open conversations routing gives this agent. */
    capacity: integer('capacity').notNull().default(10),
    /** The agent's own switch: away agents get no new conversations. */
    available: boolean('available').notNull().default(true),
    lastAssignedAt: ts('last_assigned_at'),
    /** When the agent's last socket went away (null while connected somewhere). */
    offlineSince: ts('offline_since'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

/** Bearer tokens: only a SHA-256 of the secret is stored, so a leaked table grants nothing. */
export const authTokens = pgTable(
  'auth_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    lastUsedAt: ts('last_used_at'),
  },
  (t) => [
    uniqueIndex('auth_tokens_hash_key').on(t.tokenHash),
    index('auth_tokens_user_idx').on(t.userId),
  ],
);

export const teams = pgTable('teams', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  createdAt: createdAt(),
});

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lead: boolean('lead').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.teamId, t.userId] }),
    index('team_members_user_idx').on(t.userId),
  ],
);

export const businessHours = pgTable('business_hours', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('UTC'),
  /** [{day: 0-6, open: "09:00", close: "17:00"}] in the timezone above. */
  weekly: jsonb('weekly')
    .$type<{ day: number; open: string; close: string }[]>()
    .notNull()
    .default([]),
  holidays: jsonb('holidays').$type<string[]>().notNull().default([]),
  createdAt: createdAt(),
});

/** What the channel host knows of an inbox's link to its provider, shown to admins. */
export interface InboxHealth {
  status?: 'unknown' | 'connected' | 'failing';
  lastError?: string | null;
  lastErrorAt?: string | null;
  lastOkAt?: string | null;
  lastMessageInAt?: string | null;
  /** Channel-specific progress or facts, e.g. {imported: 412, total: 1980}. */
  detail?: Record<string, unknown>;
}

/** One channel instance: a phone number, a mailbox, a bot, a website. */
export const inboxes = pgTable(
  'inboxes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    channel: channelKind('channel').notNull(),
    /** Non-secret channel settings (greeting, widget colour, reopen window…). */
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    /** The channel's credentials as one AES-256-GCM sealed JSON document (never in clear). */
    credentials: text('credentials'),
    /** What identifies this inbox at the provider: bot id, phone number, address. */
    routingKey: text('routing_key'),
    /** Receiver cursor and similar (poll offset, IMAP UIDVALIDITY/UID), owned by the channel. */
    channelState: jsonb('channel_state').$type<Record<string, unknown>>().notNull().default({}),
    health: jsonb('health').$type<InboxHealth>().notNull().default({}),
    botEnabled: boolean('bot_enabled').notNull().default(false),
    /** 'env' when created from environment variables, 'api' otherwise. */
    source: text('source').notNull().default('api'),
    /** Bumped on every change, so every instance rebuilds its live channel. */
    version: integer('version').notNull().default(1),
    businessHoursId: uuid('business_hours_id').references(() => businessHours.id, {
      onDelete: 'set null',
    }),
    defaultTeamId: uuid('default_team_id').references(() => teams.id, { onDelete: 'set null' }),
    /** 'round_robin': routing assigns; 'manual': agents take conversations themselves. */
    routing: text('routing').$type<'manual' | 'round_robin'>().notNull().default('manual'),
    /** An agent offline this long loses their open conversations of this inbox to the queue. */
    offlineReturnMinutes: integer('offline_return_minutes').notNull().default(15),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('inboxes_routing_key')
      .on(t.channel, t.routingKey)
      .where(sql`${t.routingKey} is not null`),
  ],
);

export const inboxMembers = pgTable(
  'inbox_members',
  {
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.inboxId, t.userId] }),
    index('inbox_members_user_idx').on(t.userId),
  ],
);

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().default(''),
    language: text('language'),
    preferredChannel: channelKind('preferred_channel'),
    birthday: date('birthday'),
    tier: text('tier'),
    lifetimeValue: numeric('lifetime_value', { precision: 14, scale: 2 }),
    notes: text('notes').notNull().default(''),
    /** Name and identities folded by normalizeForSearch (Persian/Arabic letters, digits, ё). */
    searchText: text('search_text').notNull().default(''),
    customAttributes: jsonb('custom_attributes')
      .$type<Record<string, unknown>>()
      .notNull()
      .default({}),
    /** Set when this profile was merged into another; the row stays for the audit trail. */
    mergedIntoId: uuid('merged_into_id'),
    lastSeenAt: ts('last_seen_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('contacts_name_idx').on(t.name),
    // 0015: the summary report's customers by tier.
    index('contacts_tier_idx')
      .on(t.tier)
      .where(sql`${t.mergedIntoId} is null and ${t.lifetimeValue} is not null`),
    // 0017: the inbox list's value-tier filter.
    index('contacts_tier_filter_idx')
      .on(t.tier)
      .where(sql`${t.tier} is not null`),
  ],
);

export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    kind: identityKind('kind').notNull(),
    /** Normalised: E.164 phone, lower-case email, numeric Telegram id, visitor id. */
    value: text('value').notNull(),
    verified: boolean('verified').notNull().default(false),
    /** Whether we may reach the customer here: blocked the bot, opted out, bounced. */
    state: text('state').$type<IdentityState>().notNull().default('ok'),
    stateReason: text('state_reason'),
    stateChangedAt: ts('state_changed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contact_identities_kind_value_key').on(t.kind, t.value),
    index('contact_identities_contact_idx').on(t.contactId),
  ],
);

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'restrict' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'restrict' }),
    channel: channelKind('channel').notNull(),
    status: conversationStatus('status').notNull().default('open'),
    priority: priority('priority').notNull().default('none'),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    subject: text('subject'),
    /** The identity the customer wrote from: replies go back there. */
    contactIdentityId: uuid('contact_identity_id').references(() => contactIdentities.id, {
      onDelete: 'set null',
    }),
    /** Channel thread key (email References root, Telegram chat id) used to find the thread. */
    threadKey: text('thread_key'),
    /** What the channel needs to answer in this thread: chat id, thread root, call sid, URL. */
    channelRef: jsonb('channel_ref').$type<Record<string, unknown>>(),
    /** Complaint ladder: 0 = not a complaint, 1 front line … 4 external risk. */
    level: integer('level').notNull().default(0),
    labels: text('labels')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    unreadCount: integer('unread_count').notNull().default(0),
    messageCount: integer('message_count').notNull().default(0),
    lastMessageAt: ts('last_message_at'),
    lastMessagePreview: text('last_message_preview'),
    lastIncomingAt: ts('last_incoming_at'),
    /** When the customer started waiting for an answer; null when the last word was ours. */
    waitingSince: ts('waiting_since'),
    firstReplyAt: ts('first_reply_at'),
    snoozedUntil: ts('snoozed_until'),
    slaPolicyId: uuid('sla_policy_id'),
    /** Set by a rule ("apply SLA policy"): the policy stays, whatever else matches. */
    slaPolicyPinned: boolean('sla_policy_pinned').notNull().default(false),
    firstResponseDueAt: ts('first_response_due_at'),
    nextResponseDueAt: ts('next_response_due_at'),
    resolutionDueAt: ts('resolution_due_at'),
    /** Worst state of the running SLA clocks: ok | warning | breached; null without an SLA. */
    slaState: text('sla_state').$type<'ok' | 'warning' | 'breached'>(),
    /** The customer was asked whether it is solved; an answer until then counts. */
    confirmationUntil: ts('confirmation_until'),
    csat: integer('csat'),
    resolvedAt: ts('resolved_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('conversations_activity_idx').on(t.lastMessageAt.desc(), t.id),
    index('conversations_contact_inbox_idx').on(t.contactId, t.inboxId, t.createdAt.desc()),
    index('conversations_inbox_status_idx').on(t.inboxId, t.status),
    index('conversations_assignee_idx').on(t.assigneeId),
    index('conversations_thread_idx').on(t.inboxId, t.threadKey),
    index('conversations_created_idx').on(t.createdAt),
    check('conversations_level_range', sql`${t.level} between 0 and 4`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'restrict' }),
    direction: direction('direction').notNull(),
    senderType: senderType('sender_type').notNull(),
    /** users.id for agents, contacts.id for customers, null for bot/system. */
    senderId: uuid('sender_id'),
    text: text('text').notNull().default(''),
    /** Original HTML body (email), sanitised before it is shown. */
    html: text('html'),
    /** `text` folded by normalizeForSearch. */
    searchText: text('search_text').notNull().default(''),
    private: boolean('private').notNull().default(false),
    status: messageStatus('status').notNull(),
    failureReason: text('failure_reason'),
    /** Provider's id: the idempotency key for inbound, the provider's receipt for outbound. */
    providerMessageId: text('provider_message_id'),
    /** The id replies refer to, when not the provider id (an inbound e-mail's Message-ID). */
    externalId: text('external_id'),
    /** Anything channel-specific worth keeping: email headers, Telegram reply markup, raw payload. */
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
    editedAt: ts('edited_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    index('messages_created_idx').on(t.createdAt),
    uniqueIndex('messages_provider_id_key')
      .on(t.inboxId, t.direction, t.providerMessageId)
      .where(sql`${t.providerMessageId} is not null`),
    index('messages_external_id_idx')
      .on(t.inboxId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    // Contact cards (a Telegram customer sharing a phone): merge suggestions look them up.
    index('messages_shared_contact_idx')
      .using('btree', sql`((${t.meta} -> 'contact') ->> 'phone')`)
      .where(sql`${t.meta} ? 'contact'`),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null between an agent's upload and the reply that carries it. */
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    uploaderId: uuid('uploader_id').references(() => users.id, { onDelete: 'set null' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    /** Path under DATA_DIR/attachments, or null until a media job has fetched the file. */
    storagePath: text('storage_path'),
    /** What the channel needs to fetch the file (file id, provider URL); never shown to agents. */
    mediaRef: jsonb('media_ref').$type<Record<string, unknown>>(),
    fetchState: text('fetch_state').$type<AttachmentFetchState>().notNull().default('stored'),
    fetchError: text('fetch_error'),
    /** Content-ID of an inline part (an e-mail's `cid:` image), without the angle brackets. */
    contentId: text('content_id'),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_message_idx').on(t.messageId)],
);

/**
 * Durable work: outbound deliveries, media downloads, snooze wake-ups, durable event listeners.
 * Claimed with FOR UPDATE SKIP LOCKED; a claim pushes `run_at` out by the lease and sets a new
 * `lease_token`, and only the holder of that token may finish or fail the job (fencing). Done
 * jobs are deleted; `dead` ones stay for inspection.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    /** At most one pending job per (kind, key): a message's delivery, a conversation's wake-up. */
    key: text('key'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    state: text('state').$type<'pending' | 'dead'>().notNull().default('pending'),
    runAt: ts('run_at').notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(8),
    leaseToken: bigint('lease_token', { mode: 'number' }),
    lockedBy: text('locked_by'),
    /** Held by a worker until then (the database's clock), renewed by its heartbeat. */
    lockedUntil: ts('locked_until'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('jobs_due_idx')
      .on(t.runAt)
      .where(sql`${t.state} = 'pending'`),
    uniqueIndex('jobs_kind_key')
      .on(t.kind, t.key)
      .where(sql`${t.key} is not null and ${t.state} = 'pending'`),
  ],
);

/** One holder per named resource (an inbox's receiver), renewed by heartbeat, fenced by token. */
export const leases = pgTable('leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  token: bigint('token', { mode: 'number' }).notNull(),
  expiresAt: ts('expires_at').notNull(),
  acquiredAt: timestamp('acquired_at', { withTimezone: true }).notNull().defaultNow(),
});

export const complaints = pgTable(
  'complaints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'restrict' }),
    level: integer('level').notNull().default(1),
    status: complaintStatus('status').notNull().default('open'),
    category: text('category'),
    severity: text('severity'),
    customerWants: text('customer_wants'),
    offered: text('offered'),
    rootCause: text('root_cause'),
    resolution: text('resolution'),
    legalFlag: boolean('legal_flag').notNull().default(false),
    reopenCount: integer('reopen_count').notNull().default(0),
    dueAt: ts('due_at'),
    csat: integer('csat'),
    csatComment: text('csat_comment'),
    /** Short and unambiguous, for the customer to quote: C-26-0193. */
    reference: text('reference')
      .notNull()
      .default(sql`next_complaint_reference(now())`),
    description: text('description'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    resolvedAt: ts('resolved_at'),
  },
  (t) => [
    uniqueIndex('complaints_conversation_key').on(t.conversationId),
    uniqueIndex('complaints_reference_key').on(t.reference),
    index('complaints_level_status_idx').on(t.level, t.status),
    index('complaints_created_idx').on(t.createdAt),
    check('complaints_level_range', sql`${t.level} between 1 and 4`),
  ],
);

/** Every change of complaint level, by a person or by a rule. */
export const escalations = pgTable(
  'escalations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    complaintId: uuid('complaint_id').references(() => complaints.id, { onDelete: 'cascade' }),
    fromLevel: integer('from_level').notNull(),
    toLevel: integer('to_level').notNull(),
    reason: text('reason').notNull(),
    /** users.id when a person escalated; null when a rule did (rule named in `rule`). */
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** Who moved it: user, rule, customer (said "not solved") or system. */
    actorType: text('actor_type')
      .$type<'user' | 'rule' | 'customer' | 'system'>()
      .notNull()
      .default('user'),
    rule: text('rule'),
    createdAt: createdAt(),
  },
  (t) => [index('escalations_conversation_idx').on(t.conversationId, t.createdAt)],
);

export const cannedResponses = pgTable('canned_responses', {
  id: uuid('id').primaryKey().defaultRandom(),
  shortCode: text('short_code').notNull().unique(),
  content: text('content').notNull(),
  createdAt: createdAt(),
});

/** Orders imported over the API or CSV: the source of lifetime value and RFM segments. */
export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    currency: text('currency').notNull(),
    orderedAt: ts('ordered_at').notNull(),
    /** What the shop sent when it was another accepted currency, converted into `amount`. */
    originalAmount: numeric('original_amount', { precision: 14, scale: 2 }),
    originalCurrency: text('original_currency'),
  },
  (t) => [
    uniqueIndex('orders_external_key').on(t.externalId),
    index('orders_ordered_at_idx').on(t.orderedAt),
    index('orders_contact_ordered_idx').on(t.contactId, t.orderedAt),
  ],
);

/**
 * Signed single-use links an agent makes for a contact (a Telegram `/start` deep link): the
 * customer who opens one has their channel identity attached to that contact. The payload
 * carries the id and its HMAC (channels/link-token.ts); `used_at` makes it single-use.
 */
export const linkTokens = pgTable(
  'link_tokens',
  {
    id: uuid('id').primaryKey(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    /** `kind:value` of the identity that redeemed it. */
    usedBy: text('used_by'),
  },
  (t) => [index('link_tokens_contact_idx').on(t.contactId)],
);

/** Audit trail: who changed what, when. Written in the same transaction as the change. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    actorType: senderType('actor_type').notNull(),
    actorId: uuid('actor_id'),
    entity: text('entity').notNull(),
    entityId: uuid('entity_id').notNull(),
    action: text('action').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_entity_idx').on(t.entity, t.entityId, t.createdAt)],
);

export type IdentityState = 'ok' | 'blocked' | 'opted_out' | 'undeliverable';
export type AttachmentFetchState = 'stored' | 'pending' | 'failed' | 'too_large';

export type UserRow = typeof users.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
export type ComplaintRow = typeof complaints.$inferSelect;
export type InboxRow = typeof inboxes.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type IdentityRow = typeof contactIdentities.$inferSelect;
export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;
export type ChannelKind = (typeof channelKind.enumValues)[number];
export type IdentityKind = (typeof identityKind.enumValues)[number];
export type ConversationStatus = (typeof conversationStatus.enumValues)[number];
export type Priority = (typeof priority.enumValues)[number];
export type Role = (typeof userRole.enumValues)[number];
export type MessageStatus = (typeof messageStatus.enumValues)[number];

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** Inbound payloads that could not be stored, kept for an admin to retry or discard. */
export const failedIngests = pgTable(
  'failed_ingests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    source: text('source').$type<'webhook' | 'receiver'>().notNull(),
    payload: bytea('payload').notNull(),
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
    error: text('error').notNull(),
    state: text('state').$type<'failed' | 'retried' | 'discarded'>().notNull().default('failed'),
    attempts: integer('attempts').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('failed_ingests_open_idx')
      .on(t.inboxId, t.createdAt)
      .where(sql`${t.state} = 'failed'`),
  ],
);
export type FailedIngestRow = typeof failedIngests.$inferSelect;

/** Server-wide values that every instance must share, e.g. the visitor-token secret. */
export const appSettings = pgTable('app_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});
