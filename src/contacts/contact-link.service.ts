import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { signLinkToken } from '../../channels/link-token';
import type { ChannelKind, IdentityKind } from '../db/schema';
import { linkTokens } from '../db/schema';
import type { UnitOfWork } from '../db/unit-of-work';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import type { ChannelHost } from '../channel-host/channel-host';
import type { InboxRepository } from '../inboxes/inbox.repository';
import { audit } from '../audit/audit';
import { AppError, badRequest, notFound } from '../errors';
import type { ContactRepository } from './contact.repository';

/** How long a link an agent made stays valid. */
export const LINK_TTL_HOURS = 24 * 7;

export interface ContactLinkDto {
  url: string;
  inboxId: string;
  expiresAt: string;
}

/**
 * Links that attach a customer's channel identity to a contact an agent chose: the agent makes
 * one from the contact's sidebar and sends it by any means; the customer opens it (Telegram:
 * `t.me/<bot>?start=<payload>`), the channel recognises our signed payload and the host
 * redeems it here, once. The identity then belongs to that contact (moved from the contact it
 * was created with, if any: the agent chose the contact and the customer proved the account).
 */
export class ContactLinkService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly contacts: ContactRepository,
    private readonly inboxes: InboxRepository,
    private readonly host: ChannelHost,
    private readonly access: AccessService,
    private readonly secret: string,
  ) {}

  async create(
    principal: Principal,
    contactId: string,
    opts: { channel: ChannelKind; inboxId?: string | undefined },
  ): Promise<ContactLinkDto> {
    if (!(await this.access.canSeeContact(principal, contactId))) throw notFound('contact');
    const inbox = opts.inboxId
      ? await this.inboxes.find(opts.inboxId)
      : await this.inboxes.firstOfKind(opts.channel);
    if (!inbox || inbox.channel !== opts.channel || !inbox.enabled)
      throw notFound(`${opts.channel} inbox`);
    if (!(await this.access.canSeeInbox(principal, inbox.id)))
      throw notFound(`${opts.channel} inbox`);
    const live = await this.host.get(inbox.id);
    if (!live?.instance.deepLink)
      throw badRequest(`inboxId: this ${opts.channel} inbox cannot make links`);
    const id = randomUUID();
    let url: string;
    try {
      url = await live.instance.deepLink(signLinkToken(this.secret, id), {
        signal: AbortSignal.timeout(15_000),
      });
    } catch (err) {
      throw new AppError(
        502,
        'channel_unavailable',
        `could not make the link: ${(err as Error).message}`,
      );
    }
    const expiresAt = new Date(Date.now() + LINK_TTL_HOURS * 3600_000);
    await this.uow.run(async (tx) => {
      await tx.insert(linkTokens).values({
        id,
        contactId,
        inboxId: inbox.id,
        createdBy: principal.id,
        expiresAt,
      });
      await audit(tx, { type: 'user', id: principal.id }, 'contact', contactId, 'link-created', {
        inboxId: inbox.id,
        expiresAt: expiresAt.toISOString(),
      });
    });
    return { url, inboxId: inbox.id, expiresAt: expiresAt.toISOString() };
  }

  /**
   * A customer opened a link: its identity joins the link's contact. Once per link, within its
   * lifetime and only through the inbox it was made for; returns the contact, or undefined.
   */
  async redeem(
    inboxId: string,
    token: string,
    identity: { kind: IdentityKind; value: string },
  ): Promise<string | undefined> {
    return this.uow.run(async (tx, emit) => {
      const [link] = await tx
        .update(linkTokens)
        .set({ usedAt: new Date(), usedBy: `${identity.kind}:${identity.value}` })
        .where(
          and(
            eq(linkTokens.id, token),
            eq(linkTokens.inboxId, inboxId),
            isNull(linkTokens.usedAt),
            gt(linkTokens.expiresAt, new Date()),
          ),
        )
        .returning();
      if (!link) return undefined;
      const contact = await this.contacts.lock(tx, link.contactId);
      if (!contact) return undefined;
      const { changed, previousOwner } = await this.contacts.attachIdentity(
        tx,
        contact.id,
        identity,
      );
      await this.contacts.update(tx, contact.id, {
        searchText: await this.contacts.searchTextFor(tx, contact.id, contact.name),
      });
      await audit(
        tx,
        { type: 'contact', id: contact.id },
        'contact',
        contact.id,
        'identity-linked',
        {
          identity: `${identity.kind}:${identity.value}`,
          linkId: link.id,
          movedFrom: previousOwner,
        },
      );
      if (previousOwner)
        await audit(tx, { type: 'system' }, 'contact', previousOwner, 'identity-moved', {
          identity: `${identity.kind}:${identity.value}`,
          to: contact.id,
          linkId: link.id,
        });
      if (changed) {
        emit('contact.updated', { contact: (await this.contacts.dto(contact.id, tx))! });
        const old = previousOwner ? await this.contacts.dto(previousOwner, tx) : undefined;
        if (old) emit('contact.updated', { contact: old });
      }
      return contact.id;
    });
  }
}
