import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Executor, Tx } from '../db/client';
import { queryRows } from '../db/rows';
import { isUniqueViolation } from '../db/errors';
import type { UnitOfWork } from '../db/unit-of-work';
import type { businessHours } from '../db/schema';
import { inboxMembers, inboxes, teamMembers, teams, users, type Role } from '../db/schema';
import type { AuthService, Principal, UserDto } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import { generatePassword, hashPassword } from '../auth/password';
import { audit } from '../audit/audit';
import { badRequest, conflict, notFound } from '../errors';

/** Checks other services need about people and teams. */
export interface UserDirectory {
  requireAssignable(tx: Executor, userId: string, inboxId: string): Promise<void>;
  teamExists(tx: Executor, teamId: string): Promise<boolean>;
}

/** Agents, supervisors and admins: what admins configure about people. */
export class UserService implements UserDirectory {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly auth: AuthService,
    private readonly access: AccessService,
  ) {}

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
      phone?: string | null | undefined;
      onDuty?: boolean | undefined;
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
            phone: input.phone ?? null,
            onDuty: input.onDuty ?? false,
          })
          .returning();
        await this.setMemberships(tx, row!.id, input.inboxIds, input.teamIds);
        await audit(tx, { type: 'user', id: principal.id }, 'user', row!.id, 'create', {
          email: row!.email,
          role: row!.role,
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
      phone?: string | null | undefined;
      onDuty?: boolean | undefined;
      capacity?: number | undefined;
      available?: boolean | undefined;
    },
  ): Promise<UserDto> {
    const self = principal.id === id;
    // Anyone may change their own name, locale, password, phone, whether they take calls and
    // whether they are available; everything else (their capacity too) is for admins.
    if (
      !self ||
      patch.role !== undefined ||
      patch.active !== undefined ||
      patch.capacity !== undefined ||
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
          ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
          ...(patch.onDuty !== undefined ? { onDuty: patch.onDuty } : {}),
          ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
          ...(patch.available !== undefined ? { available: patch.available } : {}),
          ...(passwordHash ? { passwordHash } : {}),
          updatedAt: new Date(),
        })
        .where(eq(users.id, id))
        .returning();
      await this.setMemberships(tx, id, patch.inboxIds, patch.teamIds);
      const { password: _omit, ...logged } = patch;
      await audit(tx, { type: 'user', id: principal.id }, 'user', id, 'update', {
        ...logged,
        passwordChanged: Boolean(passwordHash),
      });
      if (patch.active === false && row.active) emit('user.deactivated', { userId: id });
      if (patch.inboxIds || patch.role) emit('user.access-changed', { userId: id });
      if (patch.available !== undefined || patch.capacity !== undefined || patch.inboxIds)
        emit('user.routing-changed', { userId: id });
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
      await requireAll(tx, inboxes, inboxIds, 'inboxIds');
      await tx.delete(inboxMembers).where(eq(inboxMembers.userId, userId));
      if (inboxIds.length)
        await tx
          .insert(inboxMembers)
          .values([...new Set(inboxIds)].map((inboxId) => ({ inboxId, userId })));
    }
    if (teamIds) {
      await requireAll(tx, teams, teamIds, 'teamIds');
      await tx.delete(teamMembers).where(eq(teamMembers.userId, userId));
      if (teamIds.length)
        await tx
          .insert(teamMembers)
          .values([...new Set(teamIds)].map((teamId) => ({ teamId, userId })));
    }
  }

  async requireAssignable(tx: Executor, userId: string, inboxId: string): Promise<void> {
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

  async teamExists(tx: Executor, teamId: string): Promise<boolean> {
    const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
    return team !== undefined;
  }
}

/** Every id in `ids` names a row of `table` (400 naming the field otherwise). */
export async function requireAll(
  tx: Executor,
  table: typeof inboxes | typeof teams | typeof users | typeof businessHours,
  ids: string[],
  field: string,
): Promise<void> {
  if (!ids.length) return;
  const unique = [...new Set(ids)];
  const found = await tx.select({ id: table.id }).from(table).where(inArray(table.id, unique));
  if (found.length !== unique.length)
    throw badRequest(`${field}: contains an id that does not exist`);
}
