import { sql } from 'drizzle-orm';
import {
  check,
  doublePrecision,
  index,
  jsonb,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns';
import { contacts, users } from './core';
import { contactMerges } from './crm';

export const MERGE_REASONS = ['email', 'phone', 'telegram_phone', 'name'] as const;
export type MergeReasonKind = (typeof MERGE_REASONS)[number];

/** Why two contacts look like one person: the kind of match and the values that matched. */
export interface MergeReason {
  kind: MergeReasonKind;
  /** The matching values as each contact has them (a, b), e.g. two forms of one e-mail. */
  a: string;
  b: string;
  /** The name similarity (0–1) for `name`; 1 for the exact kinds. */
  similarity: number;
}

export type MergeSuggestionStatus = 'open' | 'accepted' | 'dismissed';

/** A pair of contacts (contact_a < contact_b) that are probably one person. */
export const mergeSuggestions = pgTable(
  'merge_suggestions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactA: uuid('contact_a')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    contactB: uuid('contact_b')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    reasons: jsonb('reasons').$type<MergeReason[]>().notNull(),
    score: doublePrecision('score').notNull(),
    status: text('status').$type<MergeSuggestionStatus>().notNull().default('open'),
    mergeId: uuid('merge_id').references(() => contactMerges.id, { onDelete: 'set null' }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: ts('decided_at'),
    computedAt: ts('computed_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('merge_suggestions_pair_key').on(t.contactA, t.contactB),
    index('merge_suggestions_open_idx')
      .on(t.score)
      .where(sql`${t.status} = 'open'`),
    index('merge_suggestions_contact_b_idx').on(t.contactB),
    check('merge_suggestions_order', sql`${t.contactA} < ${t.contactB}`),
    check('merge_suggestions_status', sql`${t.status} in ('open', 'accepted', 'dismissed')`),
  ],
);
export type MergeSuggestionRow = typeof mergeSuggestions.$inferSelect;
