import { integer, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Public messages per inbox and 15-minute slot, by direction: what the summary report's volume
 * reads instead of the messages, with the deltas not yet folded in. Kept exact by triggers on
 * `messages` (migration 0015), which only append to `message_volume_delta`; folded by
 * `foldMessageVolume` (src/crm/report-volume.ts). Neither refers to inboxes (a report joins them).
 */
export const messageVolume = pgTable(
  'message_volume',
  {
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    inboxId: uuid('inbox_id').notNull(),
    messagesIn: integer('messages_in').notNull().default(0),
    messagesOut: integer('messages_out').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.inboxId] })],
);

/** Signed counts appended by each statement on `messages`, until folded into message_volume. */
export const messageVolumeDelta = pgTable('message_volume_delta', {
  bucket: timestamp('bucket', { withTimezone: true }).notNull(),
  inboxId: uuid('inbox_id').notNull(),
  messagesIn: integer('messages_in').notNull(),
  messagesOut: integer('messages_out').notNull(),
});
