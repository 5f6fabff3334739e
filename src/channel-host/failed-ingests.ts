import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { ParsedEvent } from '../../channels/types';
import type { Db } from '../db/client';
import { failedIngests, type FailedIngestRow } from '../db/schema';
import { notFound } from '../errors';
import { cleanDeep } from '../text/clean';

export interface FailedIngestDto {
  id: string;
  source: 'webhook' | 'receiver';
  error: string;
  attempts: number;
  /** The start of the payload as text, for the admin to recognise it. */
  preview: string;
  createdAt: string;
}

/** What a webhook request was, enough to parse it again. */
export interface StoredWebhook {
  subPath: string;
  url: string;
  contentType: string;
  query: Record<string, string>;
}

const PREVIEW = 300;

/** Events → bytes and back, keeping attachment bytes and dates. */
export function serializeEvents(events: ParsedEvent[]): Buffer {
  return Buffer.from(
    JSON.stringify(events, function (this: unknown, key, value: unknown) {
      const raw = (this as Record<string, unknown>)[key];
      if (Buffer.isBuffer(raw)) return { $base64: raw.toString('base64') };
      if (raw instanceof Date) return { $date: raw.toISOString() };
      return value;
    }),
  );
}

export function deserializeEvents(payload: Buffer): ParsedEvent[] {
  return JSON.parse(payload.toString('utf8'), (_key, value: unknown) => {
    if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if (typeof v['$base64'] === 'string') return Buffer.from(v['$base64'], 'base64');
      if (typeof v['$date'] === 'string') return new Date(v['$date']);
    }
    return value;
  }) as ParsedEvent[];
}

/**
 * The record of inbound payloads that could not be stored. Keeping them lets a webhook answer
 * 200 and a receiver advance its cursor: one poison message never blocks the inbox, and nothing
 * retries forever. Admins see them on the inbox and retry or discard each.
 */
export class FailedIngestRepository {
  constructor(private readonly db: Db) {}

  async record(entry: {
    inboxId: string;
    source: 'webhook' | 'receiver';
    payload: Buffer;
    meta: Record<string, unknown>;
    error: string;
  }): Promise<string> {
    const [row] = await this.db
      .insert(failedIngests)
      .values({ ...entry, meta: cleanDeep(entry.meta), error: entry.error.slice(0, 2000) })
      .returning({ id: failedIngests.id });
    return row!.id;
  }

  async list(inboxId: string): Promise<FailedIngestDto[]> {
    const rows = await this.db
      .select()
      .from(failedIngests)
      .where(and(eq(failedIngests.inboxId, inboxId), eq(failedIngests.state, 'failed')))
      .orderBy(desc(failedIngests.createdAt))
      .limit(100);
    return rows.map(toDto);
  }

  async openCounts(inboxIds: string[]): Promise<Map<string, number>> {
    if (!inboxIds.length) return new Map();
    const rows = await this.db
      .select({ inboxId: failedIngests.inboxId, n: sql<number>`count(*)::int` })
      .from(failedIngests)
      .where(and(inArray(failedIngests.inboxId, inboxIds), eq(failedIngests.state, 'failed')))
      .groupBy(failedIngests.inboxId);
    return new Map(rows.map((r) => [r.inboxId, r.n]));
  }

  async open(inboxId: string, id: string): Promise<FailedIngestRow> {
    const [row] = await this.db
      .select()
      .from(failedIngests)
      .where(
        and(
          eq(failedIngests.id, id),
          eq(failedIngests.inboxId, inboxId),
          eq(failedIngests.state, 'failed'),
        ),
      );
    if (!row) throw notFound('failed message');
    return row;
  }

  async settle(id: string, outcome: 'retried' | 'discarded' | { error: string }): Promise<void> {
    await this.db
      .update(failedIngests)
      .set(
        typeof outcome === 'string'
          ? { state: outcome, updatedAt: new Date() }
          : {
              error: outcome.error.slice(0, 2000),
              attempts: sql`${failedIngests.attempts} + 1`,
              updatedAt: new Date(),
            },
      )
      .where(eq(failedIngests.id, id));
  }
}

function toDto(row: FailedIngestRow): FailedIngestDto {
  return {
    id: row.id,
    source: row.source,
    error: row.error,
    attempts: row.attempts,
    preview: row.payload
      .subarray(0, PREVIEW * 4)
      .toString('utf8')
      .replace(/\0/g, '')
      .slice(0, PREVIEW),
    createdAt: row.createdAt.toISOString(),
  };
}
