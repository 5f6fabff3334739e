import { and, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import {
  contactIdentities,
  contacts,
  contactValues,
  type ContactRow,
  type IdentityKind,
  type IdentityState,
} from '../db/schema';
import type { InboxScope } from '../auth/access.service';
import { likePattern, normalizeForSearch } from '../search/normalize';
import { contactSearchSource } from '../../channels/identities';
import { toContactDto, type ContactDto } from '../conversations/dto';

/** Contacts the scope may see: any contact with a conversation in one of its inboxes. */
export function contactScopeCondition(scope: InboxScope): SQL | undefined {
  if (scope === 'all') return undefined;
  if (!scope.length) return sql`false`;
  const inboxes = sql.join(
    scope.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  return sql`exists (select 1 from conversations cv
                     where cv.contact_id = ${contacts.id} and cv.inbox_id in (${inboxes}))`;
}

export class ContactRepository {
  constructor(private readonly db: Executor) {}

  async lock(tx: Executor, id: string): Promise<ContactRow | undefined> {
    const [row] = await tx.select().from(contacts).where(eq(contacts.id, id)).for('update');
    return row;
  }

  async exists(id: string, scope: InboxScope, db: Executor = this.db): Promise<boolean> {
    const rows = await db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.id, id), contactScopeCondition(scope)))
      .limit(1);
    return rows.length > 0;
  }

  async dto(id: string, db: Executor = this.db): Promise<ContactDto | undefined> {
    return (await this.dtos([id], db))[0];
  }

  /** Several contacts with their identities in two queries, in the order of `ids`. */
  async dtos(ids: string[], db: Executor = this.db): Promise<ContactDto[]> {
    if (!ids.length) return [];
    const [rows, identities, values] = await Promise.all([
      db.select().from(contacts).where(inArray(contacts.id, ids)),
      db
        .select({
          contactId: contactIdentities.contactId,
          kind: contactIdentities.kind,
          value: contactIdentities.value,
          state: contactIdentities.state,
          stateReason: contactIdentities.stateReason,
        })
        .from(contactIdentities)
        .where(inArray(contactIdentities.contactId, ids))
        .orderBy(contactIdentities.createdAt),
      db.select().from(contactValues).where(inArray(contactValues.contactId, ids)),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const valueById = new Map(values.map((v) => [v.contactId, v]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row
        ? [
            toContactDto(
              row,
              identities.filter((i) => i.contactId === id),
              valueById.get(id) ?? null,
            ),
          ]
        : [];
    });
  }

  /** Ids of contacts matching `q` (folded), newest first, within the scope. */
  async search(q: string | undefined, scope: InboxScope, limit: number): Promise<string[]> {
    const rows = await this.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(
        and(
          q ? sql`${contacts.searchText} like ${likePattern(normalizeForSearch(q))}` : undefined,
          isNull(contacts.mergedIntoId),
          contactScopeCondition(scope),
        ),
      )
      .orderBy(desc(contacts.updatedAt))
      .limit(limit);
    return rows.map((r) => r.id);
  }

  async identities(
    contactId: string,
    db: Executor = this.db,
  ): Promise<{ kind: IdentityKind; value: string }[]> {
    return db
      .select({ kind: contactIdentities.kind, value: contactIdentities.value })
      .from(contactIdentities)
      .where(eq(contactIdentities.contactId, contactId));
  }

  /** Recomputes the folded text a contact is found by (name + meaningful identities). */
  async searchTextFor(tx: Executor, contactId: string, name: string): Promise<string> {
    return normalizeForSearch(contactSearchSource(name, await this.identities(contactId, tx)));
  }

  async update(
    tx: Executor,
    id: string,
    set: Partial<typeof contacts.$inferInsert>,
  ): Promise<void> {
    await tx
      .update(contacts)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(contacts.id, id));
  }

  /** Adds an identity; false when that identity already belongs to someone (it is not moved). */
  async addIdentity(
    tx: Executor,
    contactId: string,
    identity: { kind: IdentityKind; value: string },
  ): Promise<boolean> {
    const added = await tx
      .insert(contactIdentities)
      .values({ contactId, ...identity })
      .onConflictDoNothing()
      .returning({ id: contactIdentities.id });
    return added.length > 0;
  }

  /**
   * Attaches an identity to a contact: added when new, moved when another contact had it.
   * Returns the contact that had it before (null when it was new or already this contact's).
   */
  async attachIdentity(
    tx: Executor,
    contactId: string,
    identity: { kind: IdentityKind; value: string },
  ): Promise<{ changed: boolean; previousOwner: string | null }> {
    if (await this.addIdentity(tx, contactId, identity))
      return { changed: true, previousOwner: null };
    const [row] = await tx
      .select({ id: contactIdentities.id, contactId: contactIdentities.contactId })
      .from(contactIdentities)
      .where(
        and(eq(contactIdentities.kind, identity.kind), eq(contactIdentities.value, identity.value)),
      )
      .for('update');
    if (!row || row.contactId === contactId) return { changed: false, previousOwner: null };
    await tx.update(contactIdentities).set({ contactId }).where(eq(contactIdentities.id, row.id));
    return { changed: true, previousOwner: row.contactId };
  }

  /** The contact behind an identity, if any. */
  async byIdentity(
    identity: { kind: IdentityKind; value: string },
    db: Executor = this.db,
  ): Promise<{ contactId: string; identityId: string } | undefined> {
    const [row] = await db
      .select({ contactId: contactIdentities.contactId, identityId: contactIdentities.id })
      .from(contactIdentities)
      .where(
        and(eq(contactIdentities.kind, identity.kind), eq(contactIdentities.value, identity.value)),
      )
      .limit(1);
    return row;
  }

  /** One identity by id: the one a conversation came from, which replies go to. */
  async identity(
    id: string,
    db: Executor = this.db,
  ): Promise<
    | { kind: IdentityKind; value: string; state: IdentityState; stateReason: string | null }
    | undefined
  > {
    const [row] = await db
      .select({
        kind: contactIdentities.kind,
        value: contactIdentities.value,
        state: contactIdentities.state,
        stateReason: contactIdentities.stateReason,
      })
      .from(contactIdentities)
      .where(eq(contactIdentities.id, id));
    return row;
  }

  /** Whether we may reach the customer at this identity ('ok' when it is not known yet). */
  async identityState(
    identity: { kind: IdentityKind; value: string },
    db: Executor = this.db,
  ): Promise<IdentityState> {
    const [row] = await db
      .select({ state: contactIdentities.state })
      .from(contactIdentities)
      .where(
        and(eq(contactIdentities.kind, identity.kind), eq(contactIdentities.value, identity.value)),
      )
      .limit(1);
    return row?.state ?? 'ok';
  }

  /** A new contact with one identity (web visitor leaving details before writing). */
  async createWithIdentity(
    tx: Executor,
    identity: { kind: IdentityKind; value: string },
    name: string,
  ): Promise<string> {
    const [row] = await tx
      .insert(contacts)
      .values({ name, searchText: normalizeForSearch(contactSearchSource(name, [identity])) })
      .returning({ id: contacts.id });
    await tx.insert(contactIdentities).values({ contactId: row!.id, ...identity });
    return row!.id;
  }

  /** Changes an identity's reachability; returns the contact when it changed. */
  async setIdentityState(
    tx: Executor,
    identity: { kind: IdentityKind; value: string },
    state: IdentityState,
    reason: string | null,
  ): Promise<{ contactId: string; from: IdentityState } | undefined> {
    const [row] = await tx
      .select({
        id: contactIdentities.id,
        contactId: contactIdentities.contactId,
        state: contactIdentities.state,
      })
      .from(contactIdentities)
      .where(
        and(eq(contactIdentities.kind, identity.kind), eq(contactIdentities.value, identity.value)),
      )
      .for('update');
    if (!row || row.state === state) return undefined;
    await tx
      .update(contactIdentities)
      .set({ state, stateReason: reason, stateChangedAt: new Date() })
      .where(eq(contactIdentities.id, row.id));
    return { contactId: row.contactId, from: row.state };
  }

  async name(id: string): Promise<string | undefined> {
    const [row] = await this.db
      .select({ name: contacts.name })
      .from(contacts)
      .where(eq(contacts.id, id));
    return row?.name;
  }
}
