import {
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { ts } from './columns';
import { contacts, users } from './core';

export interface ClvFitParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
  p: number;
  q: number;
  gamma: number;
}

/** One successful customer-value fit (a failed one is never stored). */
export const clvFits = pgTable(
  'clv_fits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    asOf: date('as_of').notNull(),
    timeUnitDays: integer('time_unit_days').notNull(),
    horizonDays: integer('horizon_days').notNull(),
    customers: integer('customers').notNull(),
    repeatCustomers: integer('repeat_customers').notNull(),
    params: jsonb('params').$type<ClvFitParams>().notNull(),
    bgNbdLogLikelihood: doublePrecision('bg_nbd_log_likelihood').notNull(),
    gammaGammaLogLikelihood: doublePrecision('gamma_gamma_log_likelihood').notNull(),
    fittedAt: ts('fitted_at').notNull().defaultNow(),
  },
  (t) => [index('clv_fits_fitted_idx').on(t.fittedAt)],
);
export type ClvFitRow = typeof clvFits.$inferSelect;

/** The latest prediction for a contact, replaced by each fit. */
export const contactValues = pgTable(
  'contact_values',
  {
    contactId: uuid('contact_id')
      .primaryKey()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    fitId: uuid('fit_id').references(() => clvFits.id, { onDelete: 'set null' }),
    asOf: date('as_of').notNull(),
    frequency: integer('frequency').notNull(),
    recencyDays: integer('recency_days').notNull(),
    ageDays: integer('age_days').notNull(),
    daysSinceLast: integer('days_since_last'),
    monetary: doublePrecision('monetary').notNull(),
    historicValue: numeric('historic_value', { precision: 14, scale: 2 }).notNull(),
    probabilityAlive: doublePrecision('probability_alive').notNull(),
    expectedPurchases: doublePrecision('expected_purchases').notNull(),
    horizonDays: integer('horizon_days').notNull(),
    predictedValue: numeric('predicted_value', { precision: 14, scale: 2 }).notNull(),
    /** Recency, frequency and monetary quintiles, e.g. "545". */
    rfm: text('rfm').notNull(),
    segment: text('segment').notNull(),
    fittedAt: ts('fitted_at').notNull(),
  },
  (t) => [
    index('contact_values_predicted_idx').on(t.predictedValue),
    index('contact_values_segment_idx').on(t.segment),
  ],
);
export type ContactValueRow = typeof contactValues.$inferSelect;

/** What a merge moved, kept so it can be undone within a day. */
export interface MergeMoved {
  identities: string[];
  conversations: string[];
  orders: string[];
  complaints: string[];
  attributes: Record<string, unknown>;
  notes: string;
  target: {
    customAttributes: Record<string, unknown>;
    notes: string;
    lifetimeValue: string | null;
  };
}

export const contactMerges = pgTable(
  'contact_merges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    targetId: uuid('target_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    moved: jsonb('moved').$type<MergeMoved>().notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    undoneAt: ts('undone_at'),
  },
  (t) => [index('contact_merges_target_idx').on(t.targetId, t.createdAt)],
);
