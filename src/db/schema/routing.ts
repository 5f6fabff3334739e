import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './core';

/** An agent's sockets on one instance; a row not refreshed for a while is stale (swept). */
export const agentPresence = pgTable(
  'agent_presence',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    instance: text('instance').notNull(),
    sockets: integer('sockets').notNull().default(1),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'agent_presence_pk', columns: [t.userId, t.instance] })],
);
