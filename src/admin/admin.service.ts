import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { queryRows } from '../db/rows';
import { isUniqueViolation } from '../db/errors';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  cannedResponses,
  conversations,
  inboxMembers,
  inboxes,
  teamMembers,
  teams,
  users,
  type ChannelKind,
  type InboxRow,
  type Role,
} from '../db/schema';
import type { AuthService, Principal, UserDto } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import { generatePassword, hashPassword } from '../auth/password';
import { writeAudit } from '../conversations/conversation.service';
import { badRequest, conflict, notFound } from '../api/errors';

export interface InboxDto {
  id: string;
  name: string;
  channel: ChannelKind;
  enabled: boolean;
  settings: Record<string, unknown>;
  memberIds: string[];
  createdAt: string;
}

export interface TeamDto {
  id: string;
  name: string;
  description: string;
  memberIds: string[];
}

/** Agents, teams, inboxes and canned responses: what admins configure. */
export class AdminService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly auth: AuthService,
    private readonly access: AccessService,
  ) {}

  // ---- users -------------------------------------------------------------------------------

  async listUsers(): Promise<UserDto[]> {
    const rows = await this.db.select().from(users).orderBy(asc(users.name));
    return Promise.all(rows.map((u) => this.auth.userDto(u)));
  }

  async createUser(
    principal: Principal,
    input: {
      email: string;
      name: string;
      role: Role;
      password?: string | undefined;
      inboxIds?: string[] | undefined;
      teamIds?: string[] | undefined;
      locale?: string | undefined;
    },
  ): Promise<{ user: UserDto; password?: string }> {
    this.access.requireAdmin(principal);
    const password = input.password ?? generatePassword();
    const passwordHash = await hashPassword(password);
    try {
      const user = await this.uow.run(async (tx) => {
        const [row] = await tx
          .insert(users)
          .values({
            email: input.email.trim(),
            name: input.name,
            role: input.role,
            passwordHash,
            locale: input.locale ?? 'en',
          })
          .returning();
        await this.setMemberships(tx, row!.id, input.inboxIds, input.teamIds);
        await writeAudit(tx, {
          actorId: principal.id,
          entity: 'user',
          entityId: row!.id,
          action: 'create',
          data: { email: row!.email, role: row!.role },
        });
        return row!;
      });
      return { user: await this.auth.userDto(user), ...(input.password ? {} : { password }) };
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('a user with this e-mail exists');
      throw err;
    }
  }

  async updateUser(
    principal: Principal,
    id: string,
    patch: {
      name?: string | undefined;
      role?: Role | undefined;
      active?: boolean | undefined;
      locale?: string | undefined;
      inboxIds?: string[] | undefined;
      teamIds?: string[] | undefined;
      password?: string | undefined;
    },
  ): Promise<UserDto> {
    const self = principal.id === id;
    // Anyone may change their own name, locale and password; everything else is for admins.
    if (
      !self ||
      patch.role !== undefined ||
      patch.active !== undefined ||
      patch.inboxIds ||
      patch.teamIds
    ) {
      this.access.requireAdmin(principal);
    }
    if (self && (patch.active === false || (patch.role && patch.role !== 'admin'))) {
      throw conflict('you cannot demote or deactivate yourself');
    }
    const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
    const user = await this.uow.run(async (tx, emit) => {
      const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
      if (!row) throw notFound('user');
      const [updated] = await tx
        .update(users)
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
          ...(patch.locale !== undefined ? { locale: patch.locale } : {}),
          ...(passwordHash ? { passwordHash } : {}),
          updatedAt: new Date(),
        })
        .where(eq(users.id, id))
        .returning();
      await this.setMemberships(tx, id, patch.inboxIds, patch.teamIds);
      const { password: _omit, ...logged } = patch;
      await writeAudit(tx, {
        actorId: principal.id,
        entity: 'user',
        entityId: id,
        action: 'update',
        data: { ...logged, passwordChanged: Boolean(passwordHash) },
      });
      if (patch.active === false && row.active) emit('user.deactivated', { userId: id });
      if (patch.inboxIds || patch.role) emit('user.access-changed', { userId: id });
      return updated!;
    });
    if (patch.active === false) await this.auth.revokeAllFor(id);
    return this.auth.userDto(user);
  }

  private async setMemberships(
    tx: Tx,
    userId: string,
    inboxIds?: string[],
    teamIds?: string[],
  ): Promise<void> {
    if (inboxIds) {
      await this.requireAll(tx, inboxes, inboxIds, 'inboxIds');
      await tx.delete(inboxMembers).where(eq(inboxMembers.userId, userId));
      if (inboxIds.length)
        await tx
          .insert(inboxMembers)
          .values([...new Set(inboxIds)].map((inboxId) => ({ inboxId, userId })));
    }
    if (teamIds) {
      await this.requireAll(tx, teams, teamIds, 'teamIds');
      await tx.delete(teamMembers).where(eq(teamMembers.userId, userId));
      if (teamIds.length)
        await tx
          .insert(teamMembers)
          .values([...new Set(teamIds)].map((teamId) => ({ teamId, userId })));
    }
  }

  private async requireAll(
    tx: Tx,
    table: typeof inboxes | typeof teams | typeof users,
    ids: string[],
    field: string,
  ) {
    if (!ids.length) return;
    const unique = [...new Set(ids)];
    const found = await tx.select({ id: table.id }).from(table).where(inArray(table.id, unique));
    if (found.length !== unique.length)
      throw badRequest(`${field}: contains an id that does not exist`);
  }

  // ---- teams -------------------------------------------------------------------------------

  async listTeams(): Promise<TeamDto[]> {
    const [rows, members] = await Promise.all([
      this.db.select().from(teams).orderBy(asc(teams.name)),
      this.db.select().from(teamMembers),
    ]);
    return rows.map((t) => ({
      id: t.id,
      name: t.name,
      description: t.description,
      memberIds: members.filter((m) => m.teamId === t.id).map((m) => m.userId),
    }));
  }

  async saveTeam(
    principal: Principal,
    id: string | null,
    input: {
      name?: string | undefined;
      description?: string | undefined;
      memberIds?: string[] | undefined;
    },
  ): Promise<TeamDto> {
    this.access.requireAdmin(principal);
    try {
      const teamId = await this.uow.run(async (tx) => {
        let rowId = id;
        if (rowId) {
          const [row] = await tx
            .update(teams)
            .set({
              ...(input.name !== undefined ? { name: input.name } : {}),
              ...(input.description !== undefined ? { description: input.description } : {}),
            })
            .where(eq(teams.id, rowId))
            .returning();
          if (!row) throw notFound('team');
        } else {
          if (!input.name) throw badRequest('name: required');
          const [row] = await tx
            .insert(teams)
            .values({ name: input.name, description: input.description ?? '' })
            .returning();
          rowId = row!.id;
        }
        if (input.memberIds) {
          await this.requireAll(tx, users, input.memberIds, 'memberIds');
          await tx.delete(teamMembers).where(eq(teamMembers.teamId, rowId));
          if (input.memberIds.length) {
            await tx
              .insert(teamMembers)
              .values([...new Set(input.memberIds)].map((userId) => ({ teamId: rowId!, userId })));
          }
        }
        await writeAudit(tx, {
          actorId: principal.id,
          entity: 'team',
          entityId: rowId,
          action: id ? 'update' : 'create',
          data: input,
        });
        return rowId;
      });
      return (await this.listTeams()).find((t) => t.id === teamId)!;
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('a team with this name exists');
      throw err;
    }
  }

  async deleteTeam(principal: Principal, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    await this.uow.run(async (tx) => {
      const [row] = await tx.delete(teams).where(eq(teams.id, id)).returning();
      if (!row) throw notFound('team');
      await writeAudit(tx, {
        actorId: principal.id,
        entity: 'team',
        entityId: id,
        action: 'delete',
        data: { name: row.name },
      });
    });
  }

  // ---- inboxes -----------------------------------------------------------------------------

  private async inboxDtos(rows: InboxRow[]): Promise<InboxDto[]> {
    const members = rows.length
      ? await this.db
          .select()
          .from(inboxMembers)
          .where(
            inArray(
              inboxMembers.inboxId,
              rows.map((r) => r.id),
            ),
          )
      : [];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      channel: r.channel,
      enabled: r.enabled,
      settings: r.settings,
      memberIds: members.filter((m) => m.inboxId === r.id).map((m) => m.userId),
      createdAt: r.createdAt.toISOString(),
    }));
  }

  async listInboxes(principal: Principal): Promise<InboxDto[]> {
    const scope = await this.access.inboxScope(principal);
    const rows = await this.db.select().from(inboxes).orderBy(asc(inboxes.createdAt));
    return this.inboxDtos(scope === 'all' ? rows : rows.filter((r) => scope.includes(r.id)));
  }

  async saveInbox(
    principal: Principal,
    id: string | null,
    input: {
      name?: string | undefined;
      channel?: ChannelKind | undefined;
      enabled?: boolean | undefined;
      settings?: Record<string, unknown> | undefined;
      memberIds?: string[] | undefined;
    },
  ): Promise<InboxDto> {
    this.access.requireAdmin(principal);
    const row = await this.uow.run(async (tx, emit) => {
      let saved: InboxRow | undefined;
      if (id) {
        if (input.channel) {
          const [current] = await tx.select().from(inboxes).where(eq(inboxes.id, id));
          if (current && current.channel !== input.channel)
            throw badRequest('channel: an inbox cannot change its channel');
        }
        [saved] = await tx
          .update(inboxes)
          .set({
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
            ...(input.settings !== undefined ? { settings: input.settings } : {}),
          })
          .where(eq(inboxes.id, id))
          .returning();
        if (!saved) throw notFound('inbox');
      } else {
        if (!input.name || !input.channel) throw badRequest('name and channel: required');
        [saved] = await tx
          .insert(inboxes)
          .values({
            name: input.name,
            channel: input.channel,
            enabled: input.enabled ?? true,
            settings: input.settings ?? {},
          })
          .returning();
      }
      if (input.memberIds) {
        await this.requireAll(tx, users, input.memberIds, 'memberIds');
        const before = await tx
          .select()
          .from(inboxMembers)
          .where(eq(inboxMembers.inboxId, saved!.id));
        await tx.delete(inboxMembers).where(eq(inboxMembers.inboxId, saved!.id));
        const unique = [...new Set(input.memberIds)];
        if (unique.length)
          await tx
            .insert(inboxMembers)
            .values(unique.map((userId) => ({ inboxId: saved!.id, userId })));
        for (const userId of new Set([...unique, ...before.map((b) => b.userId)]))
          emit('user.access-changed', { userId });
      }
      await writeAudit(tx, {
        actorId: principal.id,
        entity: 'inbox',
        entityId: saved!.id,
        action: id ? 'update' : 'create',
        data: input,
      });
      return saved!;
    });
    return (await this.inboxDtos([row]))[0]!;
  }

  // ---- canned responses and labels ---------------------------------------------------------

  async listCanned() {
    const rows = await this.db
      .select()
      .from(cannedResponses)
      .orderBy(asc(cannedResponses.shortCode));
    return rows.map((r) => ({ id: r.id, shortCode: r.shortCode, content: r.content }));
  }

  async saveCanned(
    principal: Principal,
    id: string | null,
    input: { shortCode?: string | undefined; content?: string | undefined },
  ) {
    this.access.requireAdmin(principal);
    try {
      const [row] = id
        ? await this.db
            .update(cannedResponses)
            .set({
              ...(input.shortCode ? { shortCode: input.shortCode } : {}),
              ...(input.content ? { content: input.content } : {}),
            })
            .where(eq(cannedResponses.id, id))
            .returning()
        : await this.db
            .insert(cannedResponses)
            .values({ shortCode: input.shortCode ?? '', content: input.content ?? '' })
            .returning();
      if (!row) throw notFound('canned response');
      return { id: row.id, shortCode: row.shortCode, content: row.content };
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('a canned response with this short code exists');
      throw err;
    }
  }

  async deleteCanned(principal: Principal, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    const rows = await this.db
      .delete(cannedResponses)
      .where(eq(cannedResponses.id, id))
      .returning();
    if (!rows.length) throw notFound('canned response');
  }

  async labels(): Promise<string[]> {
    const rows = await queryRows<{ label: string }>(
      this.db,
      sql`select distinct unnest(${conversations.labels}) as label from ${conversations} order by 1 limit 500`,
    );
    return rows.map((r) => r.label);
  }
}
