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

export interface StoredDoc {
  doc: Record<string, unknown>;
  etag: number;
}

/**
 * botbuilder's `Storage` over the `bot_state` table, one per turn. Every document carries an
 * eTag (a counter): a write with the eTag it read succeeds only if nobody wrote since; a write
 * without one only creates; `*` overwrites.
 *
 * Reads and writes go through the turn's executor (its transaction: the state commits with the
 * messages the turn sent), and botbuilder's `BotState`, which always writes with `*`, is held to
 * the eTag this turn read, so two turns that read the same state cannot both save it: the second
 * fails with EtagConflictError and is taken again. A captured turn (`writes` given) runs outside
 * any transaction: its writes are recorded, with the eTag each must still match, for the caller
 * to commit. One instance per turn (no context carried across awaits: AsyncLocalStorage would
 * put a hook on every promise of the process).
 */
export class DbStorage implements Storage {
  /** What this turn read: key → eTag, or null for a document that did not exist. */
  private readonly seen = new Map<string, string | null>();

  /**
   * `known`: documents already read (served once, without a query); `writes`: hold writes back
   * there instead of executing them.
   */
  constructor(
    private readonly executor: Executor,
    private readonly known: Map<string, StoredDoc | null> = new Map(),
    private readonly writes?: Map<string, CapturedWrite>,
  ) {}

  /** The eTag a write must match: the one this turn read, when it read the document. */
  private expected(key: string, given: unknown): unknown {
    if (given !== '*' || !this.seen.has(key)) return given;
    return this.seen.get(key) ?? undefined;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys.length) return {};
    const known = this.known;
    const items: StoreItems = {};
    const unknown: string[] = [];
    for (const key of keys) {
      const doc = known.get(key);
      if (doc === undefined) unknown.push(key);
      else if (doc) items[key] = { ...doc.doc, eTag: String(doc.etag) };
      known.delete(key);
    }
    const rows = unknown.length
      ? await this.executor.select().from(botState).where(inArray(botState.key, unknown))
      : [];
    for (const row of rows) items[row.key] = { ...row.doc, eTag: String(row.etag) };
    for (const key of keys) if (!this.seen.has(key)) this.seen.set(key, items[key]?.eTag ?? null);
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const captured = this.writes;
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
      this.known.delete(key);
      // A second save in the same turn builds on this one.
      this.seen.set(key, String(written[0]!.etag));
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length && this.writes) throw new NeedsTransaction('a state delete');
    if (keys.length) await this.executor.delete(botState).where(inArray(botState.key, keys));
  }
}
