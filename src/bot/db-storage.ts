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

/** A turn taken outside a transaction did something only a transaction can hold. */
export class NeedsTransaction extends Error {
  constructor(what: string) {
    super(`the bot turn needs a transaction: ${what}`);
    this.name = 'NeedsTransaction';
  }
}

/** A write held back by a captured turn: the document, and the eTag it must still match. */
export interface CapturedWrite {
  doc: Record<string, unknown>;
  /** null: the document must not exist yet. */
  etag: number | null;
}

interface Scope {
  executor: Executor;
  /** A captured turn: writes are recorded here, for the caller to commit, not executed. */
  writes?: Map<string, CapturedWrite>;
  /** What this turn read: key → eTag, or null for a document that did not exist. */
  read: Map<string, string | null>;
  /** Documents the turn read with its other reads: key → document, or null (none stored). */
  known: Map<string, StoredDoc | null>;
}

export interface StoredDoc {
  doc: Record<string, unknown>;
  etag: number;
}

/**
 * botbuilder's `Storage` over the `bot_state` table. Every document carries an eTag (a counter):
 * a write with the eTag it read succeeds only if nobody wrote since; a write without one only
 * creates; `*` overwrites.
 *
 * A turn runs inside `within(tx, ...)`: reads and writes go through that transaction (the
 * turn's state commits with the messages it sent), and botbuilder's `BotState`, which always
 * writes with `*`, is held to the eTag the turn read, so two turns that read the same state
 * cannot both save it: the second fails with EtagConflictError and is taken again.
 */
export class DbStorage implements Storage {
  private readonly scope = new AsyncLocalStorage<Scope>();

  constructor(private readonly db: Executor) {}

  /** `known`: documents already read in `tx` (served once, without a query). */
  within<T>(
    tx: Executor,
    work: () => Promise<T>,
    known: Map<string, StoredDoc | null> = new Map(),
  ): Promise<T> {
    return this.scope.run({ executor: tx, read: new Map(), known }, work);
  }

  /**
   * A turn outside any transaction: reads come from `known` (else the database), writes are
   * recorded in `writes` with the eTag each must match when the caller commits them.
   */
  capture<T>(
    writes: Map<string, CapturedWrite>,
    work: () => Promise<T>,
    known: Map<string, StoredDoc | null>,
  ): Promise<T> {
    return this.scope.run({ executor: this.db, read: new Map(), known, writes }, work);
  }

  private get executor(): Executor {
    return this.scope.getStore()?.executor ?? this.db;
  }

  /** The eTag a write must match: the one this turn read, when it read the document. */
  private expected(key: string, given: unknown): unknown {
    const read = this.scope.getStore()?.read;
    if (given !== '*' || !read?.has(key)) return given;
    return read.get(key) ?? undefined;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys.length) return {};
    const known = this.scope.getStore()?.known;
    const items: StoreItems = {};
    const unknown: string[] = [];
    for (const key of keys) {
      const doc = known?.get(key);
      if (doc === undefined) unknown.push(key);
      else if (doc) items[key] = { ...doc.doc, eTag: String(doc.etag) };
      known?.delete(key);
    }
    const rows = unknown.length
      ? await this.executor.select().from(botState).where(inArray(botState.key, unknown))
      : [];
    for (const row of rows) items[row.key] = { ...row.doc, eTag: String(row.etag) };
    const read = this.scope.getStore()?.read;
    if (read) for (const key of keys) if (!read.has(key)) read.set(key, items[key]?.eTag ?? null);
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const captured = this.scope.getStore()?.writes;
    for (const [key, item] of Object.entries(changes)) {
      const { eTag: given, ...doc } = (item ?? {}) as Record<string, unknown>;
      const eTag = this.expected(key, given);
      if (captured) {
        const held = captured.get(key);
        if (held) held.doc = doc;
        else if (eTag === '*') throw new NeedsTransaction(`an overwrite of unread state ${key}`);
        else
          captured.set(key, {
            doc,
            etag: typeof eTag === 'string' && /^\d+$/.test(eTag) ? Number(eTag) : null,
          });
        continue;
      }
      const now = new Date();
      let written: { key: string; etag: number }[];
      if (eTag === '*') {
        written = await this.executor
          .insert(botState)
          .values({ key, doc, etag: 1, updatedAt: now })
          .onConflictDoUpdate({
            target: botState.key,
            set: { doc, etag: sql`${botState.etag} + 1`, updatedAt: now },
          })
          .returning({ key: botState.key, etag: botState.etag });
      } else if (typeof eTag === 'string' && /^\d+$/.test(eTag)) {
        written = await this.executor
          .update(botState)
          .set({ doc, etag: sql`${botState.etag} + 1`, updatedAt: now })
          .where(and(eq(botState.key, key), eq(botState.etag, Number(eTag))))
          .returning({ key: botState.key, etag: botState.etag });
      } else {
        written = await this.executor
          .insert(botState)
          .values({ key, doc, etag: 1, updatedAt: now })
          .onConflictDoNothing()
          .returning({ key: botState.key, etag: botState.etag });
      }
      if (!written.length) throw new EtagConflictError(key);
      this.scope.getStore()?.known.delete(key);
      // A second save in the same turn builds on this one.
      this.scope.getStore()?.read.set(key, String(written[0]!.etag));
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length && this.scope.getStore()?.writes) throw new NeedsTransaction('a state delete');
    if (keys.length) await this.executor.delete(botState).where(inArray(botState.key, keys));
  }
}
