import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  complaintCategories,
  complaints,
  conversations,
  escalations,
  users,
  type ComplaintRow,
} from '../db/schema';
import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { ConversationService } from '../conversations/conversation.service';
import type { Actor, Publish } from '../events/domain-events';
import type { Emit } from '../events/event-map';
import { audit } from '../audit/audit';
import { badRequest, conflict, notFound } from '../errors';
import { setComplaintLevel } from './ladder';

export interface ComplaintDto {
  id: string;
  reference: string;
  conversationId: string;
  contactId: string;
  category: string | null;
  severity: string | null;
  level: number;
  status: string;
  description: string | null;
  desiredOutcome: string | null;
  offered: string | null;
  rootCause: string | null;
  resolution: string | null;
  legalFlag: boolean;
  reopenCount: number;
  csat: number | null;
  createdAt: string;
  updatedAt: string;
  resolvedAt: string | null;
}

export interface TimelineEntry {
  fromLevel: number;
  toLevel: number;
  reason: string;
  actorType: string;
  actor: { id: string; name: string } | null;
  rule: string | null;
  at: string;
}

export interface ComplaintInput {
  category: string;
  severity?: string | undefined;
  description?: string | undefined;
  desiredOutcome?: string | undefined;
}

export interface ComplaintPatch {
  category?: string | undefined;
  severity?: string | undefined;
  description?: string | null | undefined;
  desiredOutcome?: string | null | undefined;
  offered?: string | null | undefined;
  rootCause?: string | null | undefined;
  resolution?: string | null | undefined;
  status?: 'open' | 'resolved' | 'closed' | undefined;
}

export function toComplaintDto(r: ComplaintRow): ComplaintDto {
  return {
    id: r.id,
    reference: r.reference,
    conversationId: r.conversationId,
    contactId: r.contactId,
    category: r.category,
    severity: r.severity,
    level: r.level,
    status: r.status,
    description: r.description,
    desiredOutcome: r.customerWants,
    offered: r.offered,
    rootCause: r.rootCause,
    resolution: r.resolution,
    legalFlag: r.legalFlag,
    reopenCount: r.reopenCount,
    csat: r.csat,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
  };
}

export interface CategoryDto {
  id: string;
  key: string;
  names: { en: string; fa: string; ru: string };
  active: boolean;
  position: number;
}

/**
 * Complaint records: opened by an agent, a rule or the bot on a conversation (level 1 unless
 * a rule says more), worked on (what was offered, root cause, resolution), resolved and
 * reopened; every level change is on the timeline with who or what moved it and why.
 */
export class ComplaintService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly conversations: ConversationService,
    private readonly conversationRepo: ConversationRepository,
    private readonly access: AccessService,
  ) {}

  async open(
    principal: Principal,
    conversationId: string,
    input: ComplaintInput,
  ): Promise<ComplaintDto> {
    return this.uow.run(async (tx, emit, publish) => {
      const conv = await this.conversations.lockVisible(tx, principal, conversationId);
      return this.openIn(tx, emit, publish, conv, input, { type: 'user', id: principal.id });
    });
  }

  /** Inside a caller's transaction on a locked conversation (rules, the bot). */
  async openIn(
    tx: Tx,
    emit: Emit,
    publish: Publish,
    conv: { id: string; contactId: string; inboxId: string },
    input: ComplaintInput,
    actor: Actor,
  ): Promise<ComplaintDto> {
    await this.requireCategory(tx, input.category);
    const [existing] = await tx
      .select()
      .from(complaints)
      .where(eq(complaints.conversationId, conv.id));
    if (existing && existing.status !== 'resolved' && existing.status !== 'closed')
      throw conflict(`this conversation already has complaint ${existing.reference}`);
    if (existing) {
      // A new complaint in a conversation whose complaint was closed: the same record reopens.
      await this.reopenIn(
        tx,
        emit,
        publish,
        existing,
        'a new complaint in the same conversation',
        actor,
      );
      return toComplaintDto((await this.row(tx, existing.id))!);
    }
    const change = await setComplaintLevel(tx, conv, {
      level: 1,
      reason: 'complaint opened',
      actorId: actor.type === 'user' ? actor.id : null,
      actorType: actor.type === 'user' ? 'user' : actor.type === 'system' ? 'rule' : 'system',
      rule: actor.type === 'system' ? (actor.rule ?? null) : null,
    });
    const [row] = await tx
      .update(complaints)
      .set({
        category: input.category,
        severity: input.severity ?? null,
        description: input.description ?? null,
        customerWants: input.desiredOutcome ?? null,
      })
      .where(eq(complaints.id, change.complaint.id))
      .returning();
    await audit(tx, actor, 'complaint', row!.id, 'open', {
      reference: row!.reference,
      category: input.category,
    });
    await this.announce(tx, emit, conv.id);
    await publish('complaint.created', { complaintId: row!.id, conversationId: conv.id, actor });
    return toComplaintDto(row!);
  }

  async reopenIn(
    tx: Tx,
    emit: Emit,
    publish: Publish,
    complaint: ComplaintRow,
    reason: string,
    actor: Actor,
  ): Promise<void> {
    await tx
      .update(complaints)
      .set({
        status: 'reopened',
        reopenCount: sql`${complaints.reopenCount} + 1`,
        resolvedAt: null,
        updatedAt: new Date(),
      })
      .where(eq(complaints.id, complaint.id));
    await audit(tx, actor, 'complaint', complaint.id, 'reopen', { reason });
    await this.announce(tx, emit, complaint.conversationId);
    await publish('complaint.reopened', {
      complaintId: complaint.id,
      conversationId: complaint.conversationId,
      reason,
      actor,
    });
  }

  async list(
    principal: Principal,
    filter: { level?: number | undefined; status?: string[] | undefined; limit: number },
  ): Promise<ComplaintDto[]> {
    const scope = await this.access.inboxScope(principal);
    if (scope !== 'all' && !scope.length) return [];
    const rows = await this.db
      .select({ k: complaints })
      .from(complaints)
      .innerJoin(conversations, eq(conversations.id, complaints.conversationId))
      .where(
        and(
          filter.level !== undefined ? gte(complaints.level, filter.level) : undefined,
          filter.status?.length
            ? inArray(complaints.status, filter.status as ComplaintRow['status'][])
            : undefined,
          scope === 'all' ? undefined : inArray(conversations.inboxId, scope),
        ),
      )
      .orderBy(desc(complaints.level), asc(complaints.createdAt))
      .limit(filter.limit);
    return rows.map((r) => toComplaintDto(r.k));
  }

  async get(
    principal: Principal,
    id: string,
  ): Promise<ComplaintDto & { timeline: TimelineEntry[] }> {
    const row = await this.row(this.db, id);
    if (!row) throw notFound('complaint');
    await this.conversations.requireVisible(principal, row.conversationId);
    return { ...toComplaintDto(row), timeline: await this.timeline(row.id) };
  }

  async forConversation(principal: Principal, conversationId: string) {
    await this.conversations.requireVisible(principal, conversationId);
    const [row] = await this.db
      .select()
      .from(complaints)
      .where(eq(complaints.conversationId, conversationId));
    if (!row) throw notFound('complaint');
    return { ...toComplaintDto(row), timeline: await this.timeline(row.id) };
  }

  async update(principal: Principal, id: string, patch: ComplaintPatch): Promise<ComplaintDto> {
    return this.uow.run(async (tx, emit, publish) => {
      const current = await this.row(tx, id, true);
      if (!current) throw notFound('complaint');
      await this.conversations.lockVisible(tx, principal, current.conversationId);
      if (patch.category) await this.requireCategory(tx, patch.category);
      const set: Partial<ComplaintRow> = {};
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const take = <K extends keyof ComplaintRow>(key: K, value: ComplaintRow[K] | undefined) => {
        if (value === undefined || value === current[key]) return;
        changes[key] = { from: current[key], to: value };
        set[key] = value;
      };
      take('category', patch.category);
      take('severity', patch.severity);
      take('description', patch.description);
      take('customerWants', patch.desiredOutcome);
      take('offered', patch.offered);
      take('rootCause', patch.rootCause);
      take('resolution', patch.resolution);
      if (patch.status && patch.status !== current.status) {
        if (
          patch.status === 'open' &&
          (current.status === 'resolved' || current.status === 'closed')
        )
          throw badRequest('status: reopen a complaint by reopening its conversation');
        take('status', patch.status);
        if (patch.status === 'resolved' || patch.status === 'closed') set.resolvedAt = new Date();
      }
      if (!Object.keys(changes).length) return toComplaintDto(current);
      const [row] = await tx
        .update(complaints)
        .set({ ...set, updatedAt: new Date() })
        .where(eq(complaints.id, id))
        .returning();
      const actor = { type: 'user' as const, id: principal.id };
      await audit(tx, actor, 'complaint', id, 'update', { changes });
      await this.announce(tx, emit, current.conversationId);
      await publish('complaint.changed', {
        complaintId: id,
        conversationId: current.conversationId,
        changes,
        actor,
      });
      return toComplaintDto(row!);
    });
  }

  async categories(all = false): Promise<CategoryDto[]> {
    const rows = await this.db
      .select()
      .from(complaintCategories)
      .where(all ? undefined : eq(complaintCategories.active, true))
      .orderBy(asc(complaintCategories.position), asc(complaintCategories.key));
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      names: r.names,
      active: r.active,
      position: r.position,
    }));
  }

  async saveCategory(
    principal: Principal,
    id: string | null,
    input: {
      key?: string | undefined;
      names?: CategoryDto['names'] | undefined;
      active?: boolean | undefined;
      position?: number | undefined;
    },
  ): Promise<CategoryDto> {
    this.access.requireAdmin(principal);
    const set = {
      ...(input.names ? { names: input.names } : {}),
      ...(input.active !== undefined ? { active: input.active } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
    };
    const [row] = id
      ? Object.keys(set).length
        ? await this.db
            .update(complaintCategories)
            .set(set)
            .where(eq(complaintCategories.id, id))
            .returning()
        : await this.db.select().from(complaintCategories).where(eq(complaintCategories.id, id))
      : await this.db
          .insert(complaintCategories)
          .values({
            key: input.key!,
            names: input.names!,
            active: input.active ?? true,
            position: input.position ?? 100,
          })
          .onConflictDoNothing()
          .returning();
    if (!row) throw id ? notFound('category') : conflict(`a category ${input.key} exists`);
    return {
      id: row.id,
      key: row.key,
      names: row.names,
      active: row.active,
      position: row.position,
    };
  }

  private async requireCategory(tx: Tx, key: string): Promise<void> {
    const [row] = await tx
      .select({ id: complaintCategories.id })
      .from(complaintCategories)
      .where(and(eq(complaintCategories.key, key), eq(complaintCategories.active, true)));
    if (!row) throw badRequest(`category: ${key} is not one of the complaint categories`);
  }

  private async row(db: Db | Tx, id: string, lock = false): Promise<ComplaintRow | undefined> {
    const query = db.select().from(complaints).where(eq(complaints.id, id));
    const [row] = lock ? await query.for('update') : await query;
    return row;
  }

  private async timeline(complaintId: string): Promise<TimelineEntry[]> {
    const rows = await this.db
      .select({ e: escalations, actorName: users.name })
      .from(escalations)
      .leftJoin(users, eq(users.id, escalations.actorId))
      .where(eq(escalations.complaintId, complaintId))
      .orderBy(asc(escalations.createdAt));
    return rows.map(({ e, actorName }) => ({
      fromLevel: e.fromLevel,
      toLevel: e.toLevel,
      reason: e.reason,
      actorType: e.actorType,
      actor: e.actorId ? { id: e.actorId, name: actorName ?? '' } : null,
      rule: e.rule,
      at: e.createdAt.toISOString(),
    }));
  }

  /** The conversation changed with its complaint: agents see it at once. */
  private async announce(tx: Tx, emit: Emit, conversationId: string): Promise<void> {
    const dto = await this.conversationRepo.dto(conversationId, tx);
    if (dto) emit('conversation.updated', { conversation: dto, changes: ['complaint'] });
  }
}
