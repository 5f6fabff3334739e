import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import type { UnitOfWork } from '../db/unit-of-work';
import { teamMembers, teams, users } from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import { audit } from '../audit/audit';
import { badRequest, conflict, notFound } from '../errors';
import { requireAll } from './user.service';

export interface TeamDto {
  id: string;
  name: string;
  description: string;
  memberIds: string[];
}

/** Teams of agents (routing targets and views). */
export class TeamService {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly access: AccessService,
  ) {}

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
          const [row] = await tx.select().from(teams).where(eq(teams.id, rowId)).for('update');
          if (!row) throw notFound('team');
          const set = {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.description !== undefined ? { description: input.description } : {}),
          };
          if (Object.keys(set).length) await tx.update(teams).set(set).where(eq(teams.id, rowId));
        } else {
          if (!input.name) throw badRequest('name: required');
          const [row] = await tx
            .insert(teams)
            .values({ name: input.name, description: input.description ?? '' })
            .returning();
          rowId = row!.id;
        }
        if (input.memberIds) {
          await requireAll(tx, users, input.memberIds, 'memberIds');
          await tx.delete(teamMembers).where(eq(teamMembers.teamId, rowId));
          if (input.memberIds.length) {
            await tx
              .insert(teamMembers)
              .values([...new Set(input.memberIds)].map((userId) => ({ teamId: rowId!, userId })));
          }
        }
        await audit(
          tx,
          { type: 'user', id: principal.id },
          'team',
          rowId,
          id ? 'update' : 'create',
          {
            ...input,
          },
        );
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
      await audit(tx, { type: 'user', id: principal.id }, 'team', id, 'delete', { name: row.name });
    });
  }
}
