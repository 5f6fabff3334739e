import { and, desc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import { rowFromJson } from '../db/json-row';
import {
  complaints,
  contacts,
  contactValues,
  conversations,
  escalations,
  messages,
  teams,
  users,
  type ChannelKind,
  type ConversationRow,
  type ConversationStatus,
  type Priority,
} from '../db/schema';
import type { InboxScope } from '../auth/access.service';
import { likePattern, normalizeForSearch } from '../search/normalize';
import { toConversationDto, type ComplaintSummaryDto, type ConversationDto, type Ref } from './dto';

export interface ConversationFilter {
  scope: InboxScope;
  userId: string;
  view?: 'mine' | 'unassigned' | 'all' | 'escalated' | undefined;
  status?: ConversationStatus[] | undefined;
  channel?: ChannelKind[] | undefined;
  priority?: Priority[] | undefined;
  label?: string | undefined;
  inboxId?: string | undefined;
  teamId?: string | undefined;
  assigneeId?: string | undefined;
  contactId?: string | undefined;
  minLevel?: number | undefined;
  /** The contact's value tier / RFM segment, any of. */
  tier?: string[] | undefined;
  segment?: string[] | undefined;
  q?: string | undefined;
}

export interface Cursor {
  at: string | null;
  id: string;
}

const assignee = alias(users, 'assignee');

function scopeCondition(scope: InboxScope): SQL | undefined {
  if (scope === 'all') return undefined;
  // An agent in no inbox sees nothing; `in ()` is not valid SQL, so say false outright.
  return scope.length ? inArray(conversations.inboxId, scope) : sql`false`;
}

function conditions(f: ConversationFilter): SQL[] {
  const c: (SQL | undefined)[] = [
    scopeCondition(f.scope),
    // A web visitor who opened the widget and never wrote is not work for anyone.
    gt(conversations.messageCount, 0),
  ];
  if (f.view === 'mine') c.push(eq(conversations.assigneeId, f.userId));
  if (f.view === 'unassigned') c.push(isNull(conversations.assigneeId));
  if (f.view === 'escalated') c.push(sql`${conversations.level} >= 1`);
  if (f.status?.length) c.push(inArray(conversations.status, f.status));
  if (f.channel?.length) c.push(inArray(conversations.channel, f.channel));
  if (f.priority?.length) c.push(inArray(conversations.priority, f.priority));
  if (f.label) c.push(sql`${f.label} = any(${conversations.labels})`);
  if (f.inboxId) c.push(eq(conversations.inboxId, f.inboxId));
  if (f.teamId) c.push(eq(conversations.teamId, f.teamId));
  if (f.assigneeId) c.push(eq(conversations.assigneeId, f.assigneeId));
  if (f.contactId) c.push(eq(conversations.contactId, f.contactId));
  if (f.minLevel !== undefined) c.push(sql`${conversations.level} >= ${f.minLevel}`);
  if (f.tier?.length) c.push(inArray(contacts.tier, f.tier));
  if (f.segment?.length)
    c.push(
      sql`exists (select 1 from ${contactValues} v where v.contact_id = ${conversations.contactId}
                  and v.segment in (${sql.join(
                    f.segment.map((s) => sql`${s}`),
                    sql`, `,
                  )}))`,
    );
  if (f.q) {
    const pattern = likePattern(normalizeForSearch(f.q));
    c.push(
      or(
        sql`${contacts.searchText} like ${pattern}`,
        sql`exists (select 1 from ${messages} m where m.conversation_id = ${conversations.id} and m.search_text like ${pattern})`,
      ),
    );
  }
  return c.filter((x): x is SQL => x !== undefined);
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

export function decodeCursor(raw: string): Cursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [at, id] = value as unknown[];
    if ((at !== null && typeof at !== 'string') || typeof id !== 'string') return null;
    if (at !== null && Number.isNaN(Date.parse(at))) return null;
    if (!/^[0-9a-f-]{36}$/.test(id)) return null;
    return { at, id };
  } catch {
    return null;
  }
}

export class ConversationRepository {
  constructor(private readonly db: Executor) {}

  private baseSelect(db: Executor) {
    return db
      .select({
        c: conversations,
        contactName: contacts.name,
        contactTier: contacts.tier,
        contactSegment: contactValues.segment,
        assigneeName: assignee.name,
        teamName: teams.name,
        complaint: {
          id: complaints.id,
          reference: complaints.reference,
          level: complaints.level,
          status: complaints.status,
          category: complaints.category,
          legalFlag: complaints.legalFlag,
        },
      })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .leftJoin(contactValues, eq(contactValues.contactId, conversations.contactId))
      .leftJoin(assignee, eq(assignee.id, conversations.assigneeId))
      .leftJoin(teams, eq(teams.id, conversations.teamId))
      .leftJoin(complaints, eq(complaints.conversationId, conversations.id));
  }

  private static toDto(r: {
    c: ConversationRow;
    contactName: string;
    contactTier: string | null;
    contactSegment: string | null;
    assigneeName: string | null;
    teamName: string | null;
    complaint: ComplaintSummaryDto | null;
  }): ConversationDto {
    return toConversationDto(r.c, {
      contact: {
        id: r.c.contactId,
        name: r.contactName,
        tier: r.contactTier,
        segment: r.contactSegment,
      },
      assignee: r.c.assigneeId ? { id: r.c.assigneeId, name: r.assigneeName ?? '' } : null,
      team: r.c.teamId ? { id: r.c.teamId, name: r.teamName ?? '' } : null,
      complaint: r.complaint?.id ? r.complaint : null,
    });
  }

  /** The complaint summary of a conversation with a level (its complaint), else null. */
  async complaintSummary(
    conversationId: string,
    db: Executor = this.db,
  ): Promise<ComplaintSummaryDto | null> {
    const [row] = await db
      .select({
        id: complaints.id,
        reference: complaints.reference,
        level: complaints.level,
        status: complaints.status,
        category: complaints.category,
        legalFlag: complaints.legalFlag,
      })
      .from(complaints)
      .where(eq(complaints.conversationId, conversationId));
    return row ?? null;
  }

  async list(
    filter: ConversationFilter,
    limit: number,
    cursor: Cursor | null,
  ): Promise<{ items: ConversationDto[]; nextCursor: string | null }> {
    const where = conditions(filter);
    if (cursor) {
      // Keyset pagination on (last_message_at desc nulls last, id desc): stable while rows move.
      where.push(
        cursor.at === null
          ? and(isNull(conversations.lastMessageAt), lt(conversations.id, cursor.id))!
          : sql`(${conversations.lastMessageAt} < ${cursor.at}::timestamptz
                 or (${conversations.lastMessageAt} = ${cursor.at}::timestamptz and ${conversations.id} < ${cursor.id})
                 or ${conversations.lastMessageAt} is null)`,
      );
    }
    const rows = await this.baseSelect(this.db)
      .where(and(...where))
      .orderBy(sql`${conversations.lastMessageAt} desc nulls last`, desc(conversations.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(ConversationRepository.toDto),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ at: last.c.lastMessageAt?.toISOString() ?? null, id: last.c.id })
          : null,
    };
  }

  async counts(scope: InboxScope, userId: string) {
    const open = and(...conditions({ scope, userId }), sql`${conversations.status} <> 'resolved'`);
    const [totals] = await this.db
      .select({
        all: sql<number>`count(*)::int`,
        mine: sql<number>`count(*) filter (where ${conversations.assigneeId} = ${userId})::int`,
        unassigned: sql<number>`count(*) filter (where ${conversations.assigneeId} is null)::int`,
        escalated: sql<number>`count(*) filter (where ${conversations.level} >= 1)::int`,
      })
      .from(conversations)
      .where(open);
    const byTeam = await this.db
      .select({ teamId: conversations.teamId, n: sql<number>`count(*)::int` })
      .from(conversations)
      .where(and(open, sql`${conversations.teamId} is not null`))
      .groupBy(conversations.teamId);
    return {
      all: totals?.all ?? 0,
      mine: totals?.mine ?? 0,
      unassigned: totals?.unassigned ?? 0,
      escalated: totals?.escalated ?? 0,
      teams: Object.fromEntries(byTeam.map((r) => [r.teamId, r.n])),
    };
  }

  /** A row already in hand → DTO, looking up only the names it does not carry. */
  async toDto(
    row: ConversationRow,
    contact: Ref,
    db: Executor = this.db,
  ): Promise<ConversationDto> {
    const [assigneeRow] = row.assigneeId
      ? await db.select({ name: users.name }).from(users).where(eq(users.id, row.assigneeId))
      : [];
    const [teamRow] = row.teamId
      ? await db.select({ name: teams.name }).from(teams).where(eq(teams.id, row.teamId))
      : [];
    return toConversationDto(row, {
      contact,
      assignee: row.assigneeId ? { id: row.assigneeId, name: assigneeRow?.name ?? '' } : null,
      team: row.teamId ? { id: row.teamId, name: teamRow?.name ?? '' } : null,
      complaint: row.level > 0 ? await this.complaintSummary(row.id, db) : null,
    });
  }

  /**
   * A conversation as a database function returns it (`ingest_message`, `bot_turn_commit`: the
   * row as JSON with the contact and the assignee's and team's names): the row and its DTO, with
   * one more read only when it has a complaint.
   */
  async fromFunction(out: {
    conversation: Record<string, unknown>;
    contact: Ref;
    assignee_name: string | null;
    team_name: string | null;
  }): Promise<{ row: ConversationRow; dto: ConversationDto }> {
    const row = rowFromJson(conversations, out.conversation);
    return {
      row,
      dto: toConversationDto(row, {
        contact: out.contact,
        assignee: row.assigneeId ? { id: row.assigneeId, name: out.assignee_name ?? '' } : null,
        team: row.teamId ? { id: row.teamId, name: out.team_name ?? '' } : null,
        complaint: row.level > 0 ? await this.complaintSummary(row.id) : null,
      }),
    };
  }

  async findRow(id: string, db: Executor = this.db): Promise<ConversationRow | undefined> {
    const [row] = await db.select().from(conversations).where(eq(conversations.id, id)).limit(1);
    return row;
  }

  async dto(id: string, db: Executor = this.db): Promise<ConversationDto | undefined> {
    return (await this.dtos([id], db))[0];
  }

  /** Several conversations in one query, in the order of `ids` (unknown ids are skipped). */
  async dtos(ids: string[], db: Executor = this.db): Promise<ConversationDto[]> {
    if (!ids.length) return [];
    const rows = await this.baseSelect(db).where(inArray(conversations.id, ids));
    const byId = new Map(rows.map((r) => [r.c.id, ConversationRepository.toDto(r)]));
    return ids.map((id) => byId.get(id)).filter((c): c is ConversationDto => c !== undefined);
  }

  /** The contact's latest conversation in an inbox (a returning web visitor's session). */
  async latestFor(
    inboxId: string,
    contactId: string,
  ): Promise<Pick<ConversationRow, 'id' | 'status'> | undefined> {
    const [row] = await this.db
      .select({ id: conversations.id, status: conversations.status })
      .from(conversations)
      .where(and(eq(conversations.inboxId, inboxId), eq(conversations.contactId, contactId)))
      .orderBy(desc(conversations.createdAt))
      .limit(1);
    return row;
  }

  async lock(tx: Executor, id: string): Promise<ConversationRow | undefined> {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(eq(conversations.id, id))
      .for('update');
    return row;
  }

  async update(
    tx: Executor,
    id: string,
    set: Partial<typeof conversations.$inferInsert>,
  ): Promise<void> {
    await tx
      .update(conversations)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(conversations.id, id));
  }

  /** A snoozed conversation whose time has come opens again, once: false if anything changed. */
  async wake(tx: Executor, id: string, until: string): Promise<boolean> {
    const rows = await tx
      .update(conversations)
      .set({ status: 'open', snoozedUntil: null, updatedAt: new Date() })
      .where(
        and(
          eq(conversations.id, id),
          eq(conversations.status, 'snoozed'),
          sql`${conversations.snoozedUntil} = ${until}::timestamptz`,
        ),
      )
      .returning({ id: conversations.id });
    return rows.length > 0;
  }

  async escalations(conversationId: string) {
    return this.db
      .select({ e: escalations, actorName: users.name })
      .from(escalations)
      .leftJoin(users, eq(users.id, escalations.actorId))
      .where(eq(escalations.conversationId, conversationId))
      .orderBy(escalations.createdAt);
  }

  async labels(): Promise<string[]> {
    const rows = await queryRows<{ label: string }>(
      this.db,
      sql`select distinct unnest(${conversations.labels}) as label from ${conversations} order by 1 limit 500`,
    );
    return rows.map((r) => r.label);
  }
}
