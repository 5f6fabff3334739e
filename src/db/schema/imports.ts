import { boolean, index, integer, jsonb, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from './columns';
import { identityKind, users } from './core';

/** What a CSV import is doing: a draft waits for its mapping; a dry run ends `checked`. */
export type OrderImportStatus =
  'draft' | 'queued' | 'validating' | 'importing' | 'checked' | 'done' | 'failed';

/** One problem in one row: `row` counts the header as row 1 (as a spreadsheet shows it). */
export interface ImportRowError {
  row: number;
  index: number;
  field: string;
  code: string;
  value: string;
  message: string;
}

/** A CSV file of orders uploaded for import (migration 0016); `content` goes once imported. */
export const orderImports = pgTable(
  'order_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fileName: text('file_name').notNull().default(''),
    status: text('status').$type<OrderImportStatus>().notNull(),
    dryRun: boolean('dry_run').notNull().default(false),
    content: text('content'),
    bytes: integer('bytes').notNull(),
    header: jsonb('header').$type<string[]>().notNull(),
    mapping: jsonb('mapping').$type<Record<string, string>>(),
    totalRows: integer('total_rows').notNull(),
    rowsDone: integer('rows_done').notNull().default(0),
    errorCount: integer('error_count').notNull().default(0),
    errors: jsonb('errors').$type<ImportRowError[]>().notNull().default([]),
    created: integer('created'),
    updated: integer('updated'),
    unchanged: integer('unchanged'),
    contactsCreated: integer('contacts_created'),
    failure: text('failure'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ts('created_at').notNull().defaultNow(),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('order_imports_created_idx').on(t.createdAt)],
);

/**
 * Checked rows of a running import, until its final transaction moves them into `orders`
 * (UNLOGGED in migration 0016, without foreign key or index: bulk-written, emptied by its import).
 */
export const orderImportRows = pgTable('order_import_rows', {
  importId: uuid('import_id').notNull(),
  idx: integer('idx').notNull(),
  externalId: text('external_id').notNull(),
  contactId: uuid('contact_id'),
  identityKind: identityKind('identity_kind'),
  identityValue: text('identity_value'),
  amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  currency: text('currency').notNull(),
  originalAmount: numeric('original_amount', { precision: 14, scale: 2 }),
  originalCurrency: text('original_currency'),
  orderedAt: ts('ordered_at').notNull(),
});
