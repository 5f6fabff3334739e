import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../db/client';
import { queryRows } from '../db/rows';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  attachments,
  auditLog,
  conversations,
  deliveries,
  escalations,
  messages,
  teams,
  users,
  type ConversationRow,
  type ConversationStatus,
  type Priority,
} from '../db/schema';
import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import { AppError, badRequest, conflict, notFound } from '../api/errors';
import { normalizeForSearch } from '../search/normalize';
import type { ConversationFilter, ConversationRepository } from './conversation.repository';
import { decodeCursor } from './conversation.repository';
import { previewOf, type ConversationDto, type MessageDto } from './dto';

export interface ConversationPatch {
  status?: ConversationStatus | undefined;
  priority?: Priority | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  labels?: string[] | undefined;
  snoozedUntil?: string | null | undefined;
}

export const MAX_LEVEL = 4;

/** Next level for "escalate": a plain conversation or front-line complaint goes to supervisor. */
export function nextLevel(current: number, requested?: number): number {
  const target = requested ?? Math.max(current, 1) + 1;
  if (target > MAX_LEVEL) throw conflict(`already at the highest level (${MAX_LEVEL})`);
  if (target <= current)
    throw conflict(`level ${target} is not above the current level ${current}`);
  return target;
}

export async function writeAudit(
  tx: Executor,
  entry: {
    actorId: string | null;
    actorType?: 'user' | 'system' | 'bot' | 'contact';
    entity: string;
    entityId: string;
    action: string;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    actorType: entry.actorType ?? 'user',
    actorId: entry.actorId,
    entity: entry.entity,
    entityId: entry.entityId,
    action: entry.action,
    data: entry.data ?? {},
  });
}

export class ConversationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: ConversationRepository,
    private readonly access: AccessService,
  ) {}

  async list(
    principal: Principal,
    filter: Omit<ConversationFilter, 'scope' | 'userId'>,
    limit: number,
    cursor?: string,
  ) {
    const decoded = cursor ? decodeCursor(cursor) : null;
    if (cursor && !decoded) throw badRequest('cursor is not one this server issued');
    const scope = await this.access.inboxScope(principal);
    return this.repo.list({ ...filter, scope, userId: principal.id }, limit, decoded);
  }

  async counts(principal: Principal) {
    return this.repo.counts(await this.access.inboxScope(principal), principal.id);
  }

  /** The conversation if this principal may see it; 404 otherwise, so ids do not leak. */
  async requireVisible(
    principal: Principal,
    id: string,
    db: Executor = this.repo.db,
  ): Promise<ConversationRow> {
    const row = await this.repo.findRow(id, db);
    if (!row || !(await this.access.canSeeInbox(principal, row.inboxId, db)))
      throw notFound('conversation');
    return row;
  }

  async inboxOf(conversationId: string): Promise<string | undefined> {
    return (await this.repo.findRow(conversationId))?.inboxId;
  }

  async get(principal: Principal, id: string) {
    const row = await this.requireVisible(principal, id);
    const [dto, contact] = await Promise.all([
      this.repo.dto(id),
      this.repo.contactDto(row.contactId),
    ]);
    if (!dto || !contact) throw notFound('conversation');
    return { ...dto, contact: { ...contact } };
  }

  async update(
    principal: Principal,
    id: string,
    patch: ConversationPatch,
  ): Promise<ConversationDto> {
    return this.uow.run(async (tx, emit) => {
      const row = await this.lockVisible(tx, principal, id);
      const set: Partial<typeof conversations.$inferInsert> = {};
      const changes: string[] = [];
      const before: Record<string, unknown> = {};
      // Notes the field's old value for the audit trail and passes the new one through.
      const record = <V>(key: keyof ConversationPatch & keyof ConversationRow, value: V): V => {
        changes.push(key);
        before[key] = row[key];
        return value;
      };
      if (patch.status !== undefined && patch.status !== row.status) {
        set.status = record('status', patch.status);
        set.resolvedAt = patch.status === 'resolved' ? new Date() : null;
        if (patch.status !== 'snoozed') set.snoozedUntil = null;
      }
      if (patch.snoozedUntil !== undefined) {
        const until = patch.snoozedUntil ? new Date(patch.snoozedUntil) : null;
        if (until && until.getTime() <= Date.now())
          throw badRequest('snoozedUntil must be in the future');
        set.snoozedUntil = record('snoozedUntil', until);
        if (until) set.status = 'snoozed';
      }
      if (patch.priority !== undefined && patch.priority !== row.priority) {
        set.priority = record('priority', patch.priority);
      }
      if (patch.assigneeId !== undefined && patch.assigneeId !== row.assigneeId) {
        if (patch.assigneeId) await this.requireAssignable(tx, patch.assigneeId, row.inboxId);
        set.assigneeId = record('assigneeId', patch.assigneeId);
      }
      if (patch.teamId !== undefined && patch.teamId !== row.teamId) {
        if (patch.teamId) {
          const [team] = await tx
            .select({ id: teams.id })
            .from(teams)
            .where(eq(teams.id, patch.teamId));
          if (!team) throw badRequest('teamId: no such team');
        }
        set.teamId = record('teamId', patch.teamId);
      }
      if (patch.labels !== undefined) {
        const labels = [...new Set(patch.labels.map((l) => l.trim()).filter(Boolean))].sort();
        if (labels.join('\n') !== [...row.labels].sort().join('\n'))
          set.labels = record('labels', labels);
      }
      if (!changes.length) return (await this.repo.dto(id, tx))!;
      await tx
        .update(conversations)
        .set({ ...set, updatedAt: new Date() })
        .where(eq(conversations.id, id));
      await writeAudit(tx, {
        actorId: principal.id,
        entity: 'conversation',
        entityId: id,
        action: 'update',
        data: {
          changes: Object.fromEntries(
            changes.map((k) => [k, { from: before[k], to: (patch as Record<string, unknown>)[k] }]),
          ),
        },
      });
      const dto = (await this.repo.dto(id, tx))!;
      emit('conversation.updated', { conversation: dto, changes });
      return dto;
    });
  }

  async markRead(principal: Principal, id: string): Promise<ConversationDto> {
    return this.uow.run(async (tx, emit) => {
      const row = await this.lockVisible(tx, principal, id);
      if (row.unreadCount === 0) return (await this.repo.dto(id, tx))!;
      await tx.update(conversations).set({ unreadCount: 0 }).where(eq(conversations.id, id));
      const dto = (await this.repo.dto(id, tx))!;
      emit('conversation.updated', { conversation: dto, changes: ['unreadCount'] });
      return dto;
    });
  }

  async escalate(
    principal: Principal,
    id: string,
    input: { reason: string; level?: number | undefined },
  ) {
    return this.uow.run(async (tx, emit) => {
      const row = await this.lockVisible(tx, principal, id);
      const level = nextLevel(row.level, input.level);
      await tx
        .update(conversations)
        .set({
          level,
          // Escalated complaints must be seen: an escalation never stays snoozed or resolved.
          status: row.status === 'resolved' || row.status === 'snoozed' ? 'open' : row.status,
          priority: level >= 3 && row.priority !== 'urgent' ? 'high' : row.priority,
          snoozedUntil: null,
          updatedAt: new Date(),
        })
        .where(eq(conversations.id, id));
      await tx.insert(escalations).values({
        conversationId: id,
        fromLevel: row.level,
        toLevel: level,
        reason: input.reason,
        actorId: principal.id,
      });
      await writeAudit(tx, {
        actorId: principal.id,
        entity: 'conversation',
        entityId: id,
        action: 'escalate',
        data: { from: row.level, to: level, reason: input.reason },
      });
      const dto = (await this.repo.dto(id, tx))!;
      emit('conversation.escalated', {
        conversation: dto,
        level,
        fromLevel: row.level,
        reason: input.reason,
      });
      emit('conversation.updated', { conversation: dto, changes: ['level'] });
      return dto;
    });
  }

  async escalationHistory(principal: Principal, id: string) {
    await this.requireVisible(principal, id);
    const db = this.repo.db;
    const rows = await db
      .select({ e: escalations, actorName: users.name })
      .from(escalations)
      .leftJoin(users, eq(users.id, escalations.actorId))
      .where(eq(escalations.conversationId, id))
      .orderBy(escalations.createdAt);
    return rows.map(({ e, actorName }) => ({
      fromLevel: e.fromLevel,
      toLevel: e.toLevel,
      reason: e.reason,
      rule: e.rule,
      actor: e.actorId ? { id: e.actorId, name: actorName ?? '' } : null,
      createdAt: e.createdAt.toISOString(),
    }));
  }

  async messages(
    principal: Principal,
    id: string,
    opts: { before?: string | undefined; limit: number },
  ): Promise<MessageDto[]> {
    await this.requireVisible(principal, id);
    let before;
    if (opts.before) {
      before = await this.repo.findMessage(opts.before);
      if (!before || before.conversationId !== id)
        throw badRequest('before: no such message in this conversation');
    }
    const rows = await this.repo.listMessages(id, {
      before,
      limit: opts.limit,
      includePrivate: true,
    });
    return this.repo.messageDtos(rows);
  }

  /**
   * An agent's reply or private note. A reply is stored as `queued` with its delivery job in
   * the same transaction; the dispatcher sends it. A note never leaves the building.
   */
  async reply(
    principal: Principal,
    id: string,
    input: { text: string; private?: boolean | undefined; attachmentIds?: string[] | undefined },
  ): Promise<MessageDto> {
    const isPrivate = input.private ?? false;
    const fileIds = [...new Set(input.attachmentIds ?? [])];
    if (!input.text.trim() && !fileIds.length)
      throw badRequest('text: a message needs text or an attachment');
    return this.uow.run(async (tx, emit) => {
      const row = await this.lockVisible(tx, principal, id);
      const now = new Date();
      const [message] = await tx
        .insert(messages)
        .values({
          conversationId: id,
          inboxId: row.inboxId,
          direction: 'out',
          senderType: 'user',
          senderId: principal.id,
          text: input.text,
          searchText: normalizeForSearch(input.text),
          private: isPrivate,
          status: isPrivate ? 'sent' : 'queued',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!message) throw new AppError(500, 'internal', 'message was not stored');
      if (fileIds.length) {
        const linked = await tx
          .update(attachments)
          .set({ messageId: message.id })
          .where(
            and(
              inArray(attachments.id, fileIds),
              isNull(attachments.messageId),
              eq(attachments.uploaderId, principal.id),
            ),
          )
          .returning({ id: attachments.id });
        if (linked.length !== fileIds.length) {
          throw badRequest('attachmentIds: each must be an unused upload of yours');
        }
      }
      if (!isPrivate)
        await tx.insert(deliveries).values({ messageId: message.id, nextAttemptAt: now });
      await tx
        .update(conversations)
        .set({
          lastMessageAt: now,
          lastMessagePreview: isPrivate ? row.lastMessagePreview : previewOf(input.text || '📎'),
          messageCount: sql`${conversations.messageCount} + 1`,
          unreadCount: 0,
          ...(isPrivate
            ? {}
            : {
                waitingSince: null,
                firstReplyAt: row.firstReplyAt ?? now,
                status: row.status === 'bot' || row.status === 'resolved' ? 'open' : row.status,
              }),
          updatedAt: now,
        })
        .where(eq(conversations.id, id));
      const [dto] = await this.repo.messageDtos([message], tx);
      const conversation = (await this.repo.dto(id, tx))!;
      emit('message.created', {
        conversationId: id,
        inboxId: row.inboxId,
        message: dto!,
        conversation,
      });
      emit('conversation.updated', { conversation, changes: ['lastMessageAt'] });
      if (!isPrivate) emit('delivery.queued', { messageId: message.id });
      return dto!;
    });
  }

  private async lockVisible(tx: Tx, principal: Principal, id: string): Promise<ConversationRow> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(eq(conversations.id, id))
      .for('update');
    if (!row || !(await this.access.canSeeInbox(principal, row.inboxId, tx)))
      throw notFound('conversation');
    return row;
  }

  private async requireAssignable(tx: Tx, userId: string, inboxId: string): Promise<void> {
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user || !user.active) throw badRequest('assigneeId: no such active user');
    if (user.role === 'agent') {
      const rows = await queryRows(
        tx,
        sql`select 1 from inbox_members where inbox_id = ${inboxId} and user_id = ${userId} limit 1`,
      );
      if (!rows.length) throw badRequest('assigneeId: that agent is not a member of this inbox');
    }
  }
}
