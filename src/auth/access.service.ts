import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { conversations, inboxMembers, users } from '../db/schema';
import type { Principal } from './auth.service';
import { forbidden } from '../errors';

/** 'all' for admins and supervisors; otherwise the inboxes the agent is a member of. */
export type InboxScope = 'all' | string[];

export class AccessService {
  constructor(private readonly db: Executor) {}

  /** `db` must be the open transaction when called inside one (PGlite has a single connection). */
  async inboxScope(
    principal: Pick<Principal, 'id' | 'role'>,
    db: Executor = this.db,
  ): Promise<InboxScope> {
    if (principal.role !== 'agent') return 'all';
    const rows = await db
      .select({ id: inboxMembers.inboxId })
      .from(inboxMembers)
      .where(eq(inboxMembers.userId, principal.id));
    return rows.map((r) => r.id);
  }

  async scopeForUser(userId: string): Promise<InboxScope> {
    const [user] = await this.db
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(eq(users.id, userId));
    if (!user) return [];
    return this.inboxScope({ id: user.id, role: user.role });
  }

  async canSeeInbox(
    principal: Pick<Principal, 'id' | 'role'>,
    inboxId: string,
    db: Executor = this.db,
  ): Promise<boolean> {
    const scope = await this.inboxScope(principal, db);
    return scope === 'all' || scope.includes(inboxId);
  }

  /** An agent may see a contact only through one of its conversations they may see. */
  async canSeeContact(
    principal: Pick<Principal, 'id' | 'role'>,
    contactId: string,
    db: Executor = this.db,
  ): Promise<boolean> {
    const scope = await this.inboxScope(principal, db);
    if (scope === 'all') return true;
    if (!scope.length) return false;
    const rows = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.contactId, contactId), inArray(conversations.inboxId, scope)))
      .limit(1);
    return rows.length > 0;
  }

  requireAdmin(principal: Principal): void {
    if (principal.role !== 'admin') throw forbidden('only an admin may do this');
  }
}
