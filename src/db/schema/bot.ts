import {
  bigint,
  boolean,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true }).notNull().defaultNow();

export type BotLanguage = 'en' | 'fa' | 'ru';
export type PerLanguage<T> = Partial<Record<BotLanguage, T>>;

/** botbuilder's state documents (conversation and user state), each with its eTag. */
export const botState = pgTable('bot_state', {
  key: text('key').primaryKey(),
  doc: jsonb('doc').$type<Record<string, unknown>>().notNull(),
  etag: bigint('etag', { mode: 'number' }).notNull().default(1),
  updatedAt: ts('updated_at'),
});

/** The bot's texts an admin changed; a text not here is the shipped default. */
export const botTexts = pgTable(
  'bot_texts',
  {
    language: text('language').$type<BotLanguage>().notNull(),
    key: text('key').notNull(),
    text: text('text').notNull(),
    updatedAt: ts('updated_at'),
  },
  (t) => [primaryKey({ name: 'bot_texts_pk', columns: [t.language, t.key] })],
);

/** One knowledge-base entry: ways a customer asks, and the answer, per language. */
export const botKbEntries = pgTable('bot_kb_entries', {
  id: uuid('id').primaryKey().defaultRandom(),
  questions: jsonb('questions').$type<PerLanguage<string[]>>().notNull().default({}),
  answers: jsonb('answers').$type<PerLanguage<string>>().notNull().default({}),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: ts('created_at'),
  updatedAt: ts('updated_at'),
});

export type BotKbEntryRow = typeof botKbEntries.$inferSelect;
