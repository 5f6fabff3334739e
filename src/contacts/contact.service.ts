import { desc, eq, sql } from 'drizzle-orm';
import type { UnitOfWork } from '../db/unit-of-work';
import { contactIdentities, contacts, type ChannelKind } from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { ContactDto } from '../conversations/dto';
import { writeAudit } from '../conversations/conversation.service';
import { notFound } from '../api/errors';
import { likePattern, normalizeForSearch } from '../search/normalize';

export interface ContactPatch {
  name?: string | undefined;
  language?: string | null | undefined;
  preferredChannel?: ChannelKind | null | undefined;
  birthday?: string | null | undefined;
  tier?: string | null | undefined;
  notes?: string | undefined;
  customAttributes?: Record<string, unknown> | undefined;
}

export class ContactService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: ConversationRepository,
    private readonly access: AccessService,
  ) {}

  async get(id: string): Promise<ContactDto> {
    const dto = await this.repo.contactDto(id);
    if (!dto) throw notFound('contact');
    return dto;
  }

  async search(q: string | undefined, limit: number): Promise<ContactDto[]> {
    const db = this.repo.db;
    const where = q
      ? sql`${contacts.searchText} like ${likePattern(normalizeForSearch(q))}`
      : sql`true`;
    const rows = await db
      .select({ id: contacts.id })
      .from(contacts)
      .where(sql`${where} and ${contacts.mergedIntoId} is null`)
      .orderBy(desc(contacts.updatedAt))
      .limit(limit);
    return this.repo.contactDtos(rows.map((r) => r.id));
  }

  async update(principal: Principal, id: string, patch: ContactPatch): Promise<ContactDto> {
    return this.uow.run(async (tx, emit) => {
      const [row] = await tx.select().from(contacts).where(eq(contacts.id, id)).for('update');
      if (!row) throw notFound('contact');
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [key, value] of Object.entries(patch) as [keyof ContactPatch, unknown][]) {
        if (value === undefined) continue;
        const from = row[key];
        if (JSON.stringify(from) !== JSON.stringify(value)) changes[key] = { from, to: value };
      }
      if (Object.keys(changes).length) {
        const identities = await tx
          .select({ value: contactIdentities.value, kind: contactIdentities.kind })
          .from(contactIdentities)
          .where(eq(contactIdentities.contactId, id));
        const name = patch.name ?? row.name;
        await tx
          .update(contacts)
          .set({
            ...patch,
            searchText: normalizeForSearch(
              [name, ...identities.filter((i) => i.kind !== 'webchat').map((i) => i.value)].join(
                ' ',
              ),
            ),
            updatedAt: new Date(),
          })
          .where(eq(contacts.id, id));
        await writeAudit(tx, {
          actorId: principal.id,
          entity: 'contact',
          entityId: id,
          action: 'update',
          data: { changes },
        });
      }
      const dto = (await this.repo.contactDto(id, tx))!;
      if (Object.keys(changes).length) emit('contact.updated', { contact: dto });
      return dto;
    });
  }

  /** The visitor left their name and e-mail in the widget (offline form / follow-up). */
  async addCustomerDetails(
    contactId: string,
    details: { name?: string | undefined; email: string },
  ): Promise<void> {
    await this.uow.run(async (tx, emit) => {
      const [row] = await tx
        .select()
        .from(contacts)
        .where(eq(contacts.id, contactId))
        .for('update');
      if (!row) throw notFound('contact');
      const email = details.email.toLowerCase();
      const added = await tx
        .insert(contactIdentities)
        .values({ contactId, kind: 'email', value: email })
        .onConflictDoNothing()
        .returning({ id: contactIdentities.id });
      const name = details.name || row.name;
      // An address that already belongs to another profile is kept as an attribute, not stolen:
      // merging two customers is a person's decision.
      const customAttributes = added.length
        ? row.customAttributes
        : { ...row.customAttributes, followUpEmail: email };
      await tx
        .update(contacts)
        .set({
          name,
          customAttributes,
          searchText: normalizeForSearch(`${name} ${email}`),
          updatedAt: new Date(),
        })
        .where(eq(contacts.id, contactId));
      await writeAudit(tx, {
        actorId: contactId,
        actorType: 'contact',
        entity: 'contact',
        entityId: contactId,
        action: 'details',
        data: { name: details.name ?? null, email },
      });
      emit('contact.updated', { contact: (await this.repo.contactDto(contactId, tx))! });
    });
  }

  async conversations(principal: Principal, contactId: string) {
    await this.get(contactId);
    const scope = await this.access.inboxScope(principal);
    return (await this.repo.list({ scope, userId: principal.id, contactId }, 100, null)).items;
  }
}
