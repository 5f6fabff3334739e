import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import {
  inboxMembers,
  inboxes,
  type ChannelKind,
  type InboxHealth,
  type InboxRow,
} from '../db/schema';

export class InboxRepository {
  constructor(private readonly db: Executor) {}

  async find(id: string, db: Executor = this.db): Promise<InboxRow | undefined> {
    const [row] = await db.select().from(inboxes).where(eq(inboxes.id, id)).limit(1);
    return row;
  }

  async lock(tx: Executor, id: string): Promise<InboxRow | undefined> {
    const [row] = await tx.select().from(inboxes).where(eq(inboxes.id, id)).for('update');
    return row;
  }

  async all(db: Executor = this.db): Promise<InboxRow[]> {
    return db.select().from(inboxes).orderBy(asc(inboxes.createdAt));
  }

  /** Id and version of every inbox: enough to tell which live channels are stale. */
  async versions(): Promise<{ id: string; version: number; enabled: boolean }[]> {
    return this.db
      .select({ id: inboxes.id, version: inboxes.version, enabled: inboxes.enabled })
      .from(inboxes);
  }

  async envInbox(channel: ChannelKind, db: Executor = this.db): Promise<InboxRow | undefined> {
    const [row] = await db
      .select()
      .from(inboxes)
      .where(and(eq(inboxes.channel, channel), eq(inboxes.source, 'env')))
      .orderBy(asc(inboxes.createdAt))
      .limit(1);
    return row;
  }

  /** The first enabled inbox of a kind (the website widget without an inbox id). */
  async firstOfKind(channel: ChannelKind, id?: string): Promise<InboxRow | undefined> {
    const [row] = await this.db
      .select()
      .from(inboxes)
      .where(
        and(
          eq(inboxes.channel, channel),
          eq(inboxes.enabled, true),
          id ? eq(inboxes.id, id) : undefined,
        ),
      )
      .orderBy(asc(inboxes.createdAt))
      .limit(1);
    return row;
  }

  async insert(tx: Executor, values: typeof inboxes.$inferInsert): Promise<InboxRow> {
    const [row] = await tx.insert(inboxes).values(values).returning();
    return row!;
  }

  /** Every change bumps the version, so all instances rebuild that inbox's live channel. */
  async update(
    tx: Executor,
    id: string,
    set: Partial<typeof inboxes.$inferInsert>,
  ): Promise<InboxRow | undefined> {
    const [row] = await tx
      .update(inboxes)
      .set({ ...set, version: sql`${inboxes.version} + 1`, updatedAt: new Date() })
      .where(eq(inboxes.id, id))
      .returning();
    return row;
  }

  /** Health and channel state change often and are not configuration: no version bump. */
  async setHealth(id: string, health: InboxHealth): Promise<void> {
    await this.db.update(inboxes).set({ health }).where(eq(inboxes.id, id));
  }

  async setChannelState(id: string, state: Record<string, unknown>): Promise<void> {
    await this.db.update(inboxes).set({ channelState: state }).where(eq(inboxes.id, id));
  }

  async members(ids: string[], db: Executor = this.db) {
    if (!ids.length) return [];
    return db.select().from(inboxMembers).where(inArray(inboxMembers.inboxId, ids));
  }

  async setMembers(tx: Executor, inboxId: string, userIds: string[]): Promise<string[]> {
    const before = await tx
      .select({ userId: inboxMembers.userId })
      .from(inboxMembers)
      .where(eq(inboxMembers.inboxId, inboxId));
    await tx.delete(inboxMembers).where(eq(inboxMembers.inboxId, inboxId));
    const unique = [...new Set(userIds)];
    if (unique.length)
      await tx.insert(inboxMembers).values(unique.map((userId) => ({ inboxId, userId })));
    return [...new Set([...unique, ...before.map((b) => b.userId)])];
  }

  async addMember(tx: Executor, inboxId: string, userId: string): Promise<void> {
    await tx.insert(inboxMembers).values({ inboxId, userId }).onConflictDoNothing();
  }
}
