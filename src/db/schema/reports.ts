import { integer, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';
import { inboxes } from './core';

/**
 * Public messages per inbox and 15-minute slot, by direction: what the summary report's volume
 * reads instead of the messages. Kept exact by triggers on `messages` (migration 0015); never
 * written by the application.
 */
export const messageVolume = pgTable(
  'message_volume',
  {
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id, { onDelete: 'cascade' }),
    messagesIn: integer('messages_in').notNull().default(0),
    messagesOut: integer('messages_out').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.inboxId] })],
);
