import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { unreachableReason } from '../contacts/reachability';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  contactIdentities,
  contacts,
  conversations,
  inboxes,
  type ChannelKind,
} from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { ConversationDto } from '../conversations/dto';
import { audit } from '../audit/audit';
import { AppError, notFound } from '../errors';

/** The channels we may write first on, and the identity each writes to. */
export const OUTBOUND_CHANNELS = { sms: 'phone', email: 'email', telegram: 'telegram' } as const;
export type OutboundChannel = keyof typeof OUTBOUND_CHANNELS;

function isOutbound(channel: string): channel is OutboundChannel {
  return channel in OUTBOUND_CHANNELS;
}

/**
 * Starts a conversation with a customer on a channel where we may write first (SMS, e-mail,
 * Telegram), in an inbox of that channel the agent may see, to an identity that can still be
 * reached (an SMS opt-out, a Telegram block or a bounced address refuses: 409 unreachable). An
 * unresolved conversation there already is returned instead of a second one.
 */
export class OutreachService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: AccessService,
    private readonly conversations: ConversationRepository,
  ) {}

  async start(
    principal: Principal,
    contactId: string,
    input: { channel?: ChannelKind | undefined; inboxId?: string | undefined },
  ): Promise<{ conversation: ConversationDto; created: boolean }> {
    return this.uow.run(async (tx, emit) => {
      if (!(await this.access.canSeeContact(principal, contactId, tx))) throw notFound('contact');
      const [contact] = await tx.select().from(contacts).where(eq(contacts.id, contactId));
      if (!contact || contact.mergedIntoId) throw notFound('contact');
      const scope = await this.access.inboxScope(principal, tx);
      let channel: string | null = input.channel ?? contact.preferredChannel;
      if (!channel) {
        const [last] = await tx
          .select({ channel: conversations.channel })
          .from(conversations)
          .where(eq(conversations.contactId, contactId))
          .orderBy(desc(conversations.lastMessageAt))
          .limit(1);
        channel = last?.channel ?? null;
      }
      if (!channel)
        throw new AppError(422, 'no_channel', 'the customer has no preferred channel; choose one');
      if (!isOutbound(channel))
        throw new AppError(
          422,
          'channel_not_outbound',
          `a ${channel} conversation cannot be started by us; use sms, email or telegram`,
        );
      const kind = OUTBOUND_CHANNELS[channel];
      const identities = await tx
        .select()
        .from(contactIdentities)
        .where(and(eq(contactIdentities.contactId, contactId), eq(contactIdentities.kind, kind)))
        .orderBy(asc(contactIdentities.createdAt));
      if (!identities.length)
        throw new AppError(422, 'no_identity', `the customer has no ${kind} to write to`);
      const identity = identities.find((i) => i.state === 'ok');
      if (!identity) {
        const first = identities[0]!;
        throw new AppError(409, 'unreachable', unreachableReason(first));
      }
      if (scope !== 'all' && !scope.length) throw notFound('inbox');
      const inScope = scope === 'all' ? undefined : inArray(inboxes.id, scope);
      let inboxId = input.inboxId;
      if (inboxId) {
        const [inbox] = await tx
          .select({ channel: inboxes.channel })
          .from(inboxes)
          .where(and(eq(inboxes.id, inboxId), inScope));
        if (!inbox) throw notFound('inbox');
        if (inbox.channel !== channel)
          throw new AppError(422, 'validation_failed', `that inbox is not a ${channel} inbox`);
      } else {
        // Where they wrote before on this channel, else the first inbox of the channel.
        const [usual] = await tx
          .select({ id: conversations.inboxId })
          .from(conversations)
          .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
          .where(
            and(
              eq(conversations.contactId, contactId),
              eq(conversations.channel, channel),
              inScope,
            ),
          )
          .orderBy(desc(conversations.createdAt))
          .limit(1);
        const [any] = usual
          ? [usual]
          : await tx
              .select({ id: inboxes.id })
              .from(inboxes)
              .where(and(eq(inboxes.channel, channel), inScope))
              .orderBy(asc(inboxes.createdAt))
              .limit(1);
        if (!any) throw new AppError(422, 'no_inbox', `there is no ${channel} inbox you may use`);
        inboxId = any.id;
      }
      const [existing] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(
          and(
            eq(conversations.contactId, contactId),
            eq(conversations.inboxId, inboxId),
            ne(conversations.status, 'resolved'),
          ),
        )
        .orderBy(desc(conversations.createdAt))
        .limit(1);
      if (existing)
        return { conversation: (await this.conversations.dto(existing.id, tx))!, created: false };
      const [row] = await tx
        .insert(conversations)
        .values({
          inboxId,
          contactId,
          channel,
          status: 'open',
          assigneeId: principal.id,
          contactIdentityId: identity.id,
        })
        .returning();
      await audit(tx, { type: 'user', id: principal.id }, 'conversation', row!.id, 'start', {
        contactId,
        channel,
        inboxId,
      });
      const conversation = (await this.conversations.dto(row!.id, tx))!;
      emit('conversation.created', { conversation });
      return { conversation, created: true };
    });
  }
}
