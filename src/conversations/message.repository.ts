import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import {
  attachments,
  contacts,
  messages,
  users,
  type AttachmentRow,
  type MessageRow,
  type MessageStatus,
} from '../db/schema';
import type { InboxScope } from '../auth/access.service';
import { toMessageDto, type MessageDto, type Ref } from './dto';

/** Where a delivery status may move: never backwards (callbacks arrive out of order). */
const STATUS_RANK: Record<MessageStatus, number> = {
  received: 0,
  queued: 1,
  sent: 2,
  failed: 3,
  delivered: 4,
  read: 5,
};

export function statusMovesForward(from: MessageStatus, to: MessageStatus): boolean {
  // A message that was delivered or read cannot fail afterwards; a failed one can still be
  // reported delivered (providers do retry on their side).
  return STATUS_RANK[to] > STATUS_RANK[from];
}

export class MessageRepository {
  constructor(private readonly db: Executor) {}

  async insert(tx: Executor, values: typeof messages.$inferInsert): Promise<MessageRow> {
    const [row] = await tx.insert(messages).values(values).returning();
    return row!;
  }

  async find(id: string, db: Executor = this.db): Promise<MessageRow | undefined> {
    const [row] = await db.select().from(messages).where(eq(messages.id, id)).limit(1);
    return row;
  }

  async findInbound(inboxId: string, providerMessageId: string): Promise<MessageRow | undefined> {
    const [row] = await this.db
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.inboxId, inboxId),
          eq(messages.direction, 'in'),
          eq(messages.providerMessageId, providerMessageId),
        ),
      )
      .limit(1);
    return row;
  }

  /** The message a provider knows by this id, locked (status callbacks, edits). */
  async lockByProviderId(
    tx: Executor,
    inboxId: string,
    direction: 'in' | 'out',
    providerMessageId: string,
  ): Promise<MessageRow | undefined> {
    const [row] = await tx
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.inboxId, inboxId),
          eq(messages.direction, direction),
          eq(messages.providerMessageId, providerMessageId),
        ),
      )
      .limit(1)
      .for('update');
    return row;
  }

  async update(
    tx: Executor,
    id: string,
    set: Partial<typeof messages.$inferInsert>,
  ): Promise<MessageRow | undefined> {
    const [row] = await tx
      .update(messages)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(messages.id, id))
      .returning();
    return row;
  }

  async list(
    conversationId: string,
    opts: { before?: MessageRow | undefined; limit: number; includePrivate: boolean },
  ): Promise<MessageRow[]> {
    const where = [eq(messages.conversationId, conversationId)];
    if (!opts.includePrivate) where.push(eq(messages.private, false));
    if (opts.before) {
      where.push(
        sql`(${messages.createdAt}, ${messages.id}) < (${opts.before.createdAt.toISOString()}::timestamptz, ${opts.before.id}::uuid)`,
      );
    }
    const rows = await this.db
      .select()
      .from(messages)
      .where(and(...where))
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(opts.limit);
    return rows.reverse();
  }

  /** Messages whose folded text matches, newest first, within the scope. */
  async search(pattern: string, scope: InboxScope, limit: number): Promise<MessageRow[]> {
    if (scope !== 'all' && !scope.length) return [];
    return this.db
      .select()
      .from(messages)
      .where(
        and(
          sql`${messages.searchText} like ${pattern}`,
          scope === 'all' ? undefined : inArray(messages.inboxId, scope),
        ),
      )
      .orderBy(desc(messages.createdAt))
      .limit(limit);
  }

  async attachmentsOf(messageId: string, db: Executor = this.db): Promise<AttachmentRow[]> {
    return db.select().from(attachments).where(eq(attachments.messageId, messageId));
  }

  /** Messages with their senders' names and attachments, in the order given. */
  /** `files`: the caller has read these messages' attachments already (one query fewer). */
  async dtos(
    rows: MessageRow[],
    db: Executor = this.db,
    opts: { files?: AttachmentRow[] } = {},
  ): Promise<MessageDto[]> {
    if (!rows.length) return [];
    const userIds = [
      ...new Set(rows.filter((r) => r.senderType === 'user' && r.senderId).map((r) => r.senderId!)),
    ];
    const contactIds = [
      ...new Set(
        rows.filter((r) => r.senderType === 'contact' && r.senderId).map((r) => r.senderId!),
      ),
    ];
    const [userRefs, contactRefs, files] = await Promise.all([
      userIds.length
        ? db
            .select({ id: users.id, name: users.name })
            .from(users)
            .where(inArray(users.id, userIds))
        : Promise.resolve([] as Ref[]),
      contactIds.length
        ? db
            .select({ id: contacts.id, name: contacts.name })
            .from(contacts)
            .where(inArray(contacts.id, contactIds))
        : Promise.resolve([] as Ref[]),
      opts.files
        ? Promise.resolve(opts.files)
        : db
            .select()
            .from(attachments)
            .where(
              inArray(
                attachments.messageId,
                rows.map((r) => r.id),
              ),
            ),
    ]);
    const names = new Map<string, Ref>([...userRefs, ...contactRefs].map((r) => [r.id, r]));
    const filesBy = new Map<string, AttachmentRow[]>();
    for (const f of files) {
      if (!f.messageId) continue;
      filesBy.set(f.messageId, [...(filesBy.get(f.messageId) ?? []), f]);
    }
    return rows.map((r) =>
      toMessageDto(r, r.senderId ? (names.get(r.senderId) ?? null) : null, filesBy.get(r.id) ?? []),
    );
  }

  async dto(
    row: MessageRow,
    db: Executor = this.db,
    opts: { files?: AttachmentRow[] } = {},
  ): Promise<MessageDto> {
    return (await this.dtos([row], db, opts))[0]!;
  }
}
