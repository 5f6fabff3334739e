import type { UnitOfWork } from '../db/unit-of-work';
import type { ChannelKind, IdentityKind, IdentityState } from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { ContactDto } from '../conversations/dto';
import { identityKindInfo } from '../../channels/identities';
import { audit } from '../audit/audit';
import { notFound } from '../errors';
import { normalizeForSearch } from '../search/normalize';
import { cleanDeep } from '../text/clean';
import type { ContactRepository } from './contact.repository';

export interface ContactPatch {
  name?: string | undefined;
  language?: string | null | undefined;
  preferredChannel?: ChannelKind | null | undefined;
  birthday?: string | null | undefined;
  tier?: string | null | undefined;
  notes?: string | undefined;
  customAttributes?: Record<string, unknown> | undefined;
}

/**
 * Customer profiles. An agent sees and changes a contact only through a conversation they may
 * see (admins and supervisors: every contact); anything else answers 404, as for conversations.
 */
export class ContactService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: ContactRepository,
    private readonly conversationRepo: ConversationRepository,
    private readonly access: AccessService,
  ) {}

  async get(principal: Principal, id: string): Promise<ContactDto> {
    if (!(await this.access.canSeeContact(principal, id))) throw notFound('contact');
    const dto = await this.repo.dto(id);
    if (!dto) throw notFound('contact');
    return dto;
  }

  async search(principal: Principal, q: string | undefined, limit: number): Promise<ContactDto[]> {
    const scope = await this.access.inboxScope(principal);
    return this.repo.dtos(await this.repo.search(q, scope, limit));
  }

  async update(principal: Principal, id: string, raw: ContactPatch): Promise<ContactDto> {
    const patch = cleanDeep(raw);
    return this.uow.run(async (tx, emit) => {
      if (!(await this.access.canSeeContact(principal, id, tx))) throw notFound('contact');
      const row = await this.repo.lock(tx, id);
      if (!row) throw notFound('contact');
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [key, value] of Object.entries(patch) as [keyof ContactPatch, unknown][]) {
        if (value === undefined) continue;
        const from = row[key];
        if (JSON.stringify(from) !== JSON.stringify(value)) changes[key] = { from, to: value };
      }
      if (Object.keys(changes).length) {
        const name = patch.name ?? row.name;
        await this.repo.update(tx, id, {
          ...patch,
          searchText: await this.repo.searchTextFor(tx, id, name),
        });
        await audit(tx, { type: 'user', id: principal.id }, 'contact', id, 'update', { changes });
      }
      const dto = (await this.repo.dto(id, tx))!;
      if (Object.keys(changes).length) emit('contact.updated', { contact: dto });
      return dto;
    });
  }

  async conversations(principal: Principal, contactId: string) {
    if (!(await this.access.canSeeContact(principal, contactId))) throw notFound('contact');
    const scope = await this.access.inboxScope(principal);
    return (await this.conversationRepo.list({ scope, userId: principal.id, contactId }, 100, null))
      .items;
  }

  /**
   * A customer left their name and e-mail (the widget's offline form). The contact is created
   * when the visitor had none yet; an address that already belongs to another profile is kept
   * as an attribute, not moved: merging two customers is a person's decision.
   */
  async addCustomerDetails(
    identity: { kind: IdentityKind; value: string },
    details: { name?: string | undefined; email: string },
  ): Promise<string> {
    const clean = cleanDeep(details);
    return this.uow.run(async (tx, emit) => {
      const known = await this.repo.byIdentity(identity, tx);
      const contactId =
        known?.contactId ??
        (await this.repo.createWithIdentity(
          tx,
          identity,
          clean.name || identityKindInfo(identity.kind).defaultName(identity.value),
        ));
      const row = (await this.repo.lock(tx, contactId))!;
      const email = clean.email.toLowerCase();
      const added = await this.repo.addIdentity(tx, contactId, { kind: 'email', value: email });
      const name = clean.name || row.name;
      await this.repo.update(tx, contactId, {
        name,
        customAttributes: added
          ? row.customAttributes
          : { ...row.customAttributes, followUpEmail: email },
        searchText: normalizeForSearch(`${name} ${email}`),
      });
      await audit(tx, { type: 'contact', id: contactId }, 'contact', contactId, 'details', {
        name: clean.name ?? null,
        email,
      });
      emit('contact.updated', { contact: (await this.repo.dto(contactId, tx))! });
      return contactId;
    });
  }

  /** False when the customer blocked us, opted out or bounced at this identity. */
  async reachable(identity: { kind: IdentityKind; value: string }): Promise<boolean> {
    return (await this.repo.identityState(identity)) === 'ok';
  }

  /** A channel says the customer blocked us, opted out or bounced (or came back). */
  async setIdentityState(
    identity: { kind: IdentityKind; value: string },
    state: IdentityState,
    reason: string | undefined,
  ): Promise<void> {
    await this.uow.run(async (tx, emit) => {
      const changed = await this.repo.setIdentityState(tx, identity, state, reason ?? null);
      if (!changed) return;
      await audit(tx, { type: 'system' }, 'contact', changed.contactId, 'identity-state', {
        identity: `${identity.kind}:${identity.value}`,
        from: changed.from,
        to: state,
        reason: reason ?? null,
      });
      emit('contact.updated', { contact: (await this.repo.dto(changed.contactId, tx))! });
    });
  }
}
