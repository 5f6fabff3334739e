import { AsyncLocalStorage } from 'node:async_hooks';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Storage, StoreItems } from 'botbuilder-core';
import type { Executor } from '../db/client';
import { botState } from '../db/schema';

/** A write whose eTag no longer matches: someone else wrote the document since it was read. */
export class EtagConflictError extends Error {
  constructor(public readonly key: string) {
    super(`bot state ${key} was changed by another turn (eTag mismatch)`);
    this.name = 'EtagConflictError';
  }
}

/**
 * botbuilder's `Storage` over the `bot_state` table. Every document carries an eTag (a counter):
 * a write with the eTag it read succeeds only if nobody wrote since; a write without one only
 * creates; `*` overwrites. Inside `within(tx, ...)` reads and writes go through that
 * transaction, so a turn's state commits together with the messages it sent.
 */
export class DbStorage implements Storage {
  private readonly scope = new AsyncLocalStorage<Executor>();

  constructor(private readonly db: Executor) {}

  within<T>(tx: Executor, work: () => Promise<T>): Promise<T> {
    return this.scope.run(tx, work);
  }

  private get executor(): Executor {
    return this.scope.getStore() ?? this.db;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys.length) return {};
    const rows = await this.executor.select().from(botState).where(inArray(botState.key, keys));
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...row.doc, eTag: String(row.etag) };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...doc } = (item ?? {}) as Record<string, unknown>;
      const now = new Date();
      let written: { key: string }[];
      if (eTag === '*') {
        written = await this.executor
          .insert(botState)
          .values({ key, doc, etag: 1, updatedAt: now })
          .onConflictDoUpdate({
            target: botState.key,
            set: { doc, etag: sql`${botState.etag} + 1`, updatedAt: now },
          })
          .returning({ key: botState.key });
      } else if (typeof eTag === 'string' && /^\d+$/.test(eTag)) {
        written = await this.executor
          .update(botState)
          .set({ doc, etag: sql`${botState.etag} + 1`, updatedAt: now })
          .where(and(eq(botState.key, key), eq(botState.etag, Number(eTag))))
          .returning({ key: botState.key });
      } else {
        written = await this.executor
          .insert(botState)
          .values({ key, doc, etag: 1, updatedAt: now })
          .onConflictDoNothing()
          .returning({ key: botState.key });
      }
      if (!written.length) throw new EtagConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.executor.delete(botState).where(inArray(botState.key, keys));
  }
}
