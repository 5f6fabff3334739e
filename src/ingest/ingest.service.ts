import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { queryRows } from '../db/rows';
import { rowFromJson } from '../db/json-row';
import type { SessionBatcher } from './session-batcher';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  attachments,
  contactIdentities,
  contacts,
  conversations,
  messages,
  type ConversationRow,
  type InboxRow,
  type MessageRow,
} from '../db/schema';
import type { InboundMessage } from '../../channels/types';
import type { ConversationRepository } from '../conversations/conversation.repository';
import {
  previewOf,
  toMessageDto,
  type ConversationDto,
  type MessageDto,
} from '../conversations/dto';
import { normalizeForSearch } from '../search/normalize';
import type { AttachmentStore } from '../attachments/attachment.store';

export type InboxRef = Pick<InboxRow, 'id' | 'channel' | 'settings'>;

export interface IngestResult {
  message: MessageDto;
  conversation: ConversationDto;
  contactId: string;
  /** True when this provider message id was stored before: nothing was written or emitted. */
  duplicate: boolean;
}

/** Resolved conversations come back to life when the customer writes within this window. */
export const DEFAULT_REOPEN_HOURS = 24 * 7;

/** What a live session already knows about the sender (web chat). */
export interface SessionHint {
  contactId: string;
  conversationId: string;
}

/** Raised inside the transaction when a concurrent delivery of the same message won the race. */
class DuplicateDelivery extends Error {}

export function reopenWindowHours(inbox: InboxRef): number {
  const value = inbox.settings['reopenWindowHours'];
  return typeof value === 'number' && value >= 0 ? value : DEFAULT_REOPEN_HOURS;
}

/** What to do with the customer's latest conversation in this inbox when a message arrives. */
export function chooseConversation(
  latest: Pick<ConversationRow, 'status' | 'resolvedAt'> | undefined,
  now: Date,
  reopenHours: number,
): 'use' | 'reopen' | 'create' {
  if (!latest) return 'create';
  if (latest.status !== 'resolved') return 'use';
  const resolvedAt = latest.resolvedAt?.getTime() ?? 0;
  return now.getTime() - resolvedAt <= reopenHours * 3600_000 ? 'reopen' : 'create';
}

export class IngestService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: ConversationRepository,
    private readonly files: AttachmentStore,
    private readonly batcher: SessionBatcher,
  ) {}

  /**
   * One transaction: resolve the contact by identity, find or open the conversation, store the
   * message idempotently, update the conversation. Events go out after commit.
   */
  async ingest(
    inbox: InboxRef,
    inbound: InboundMessage,
    hint?: SessionHint,
  ): Promise<IngestResult> {
    if (
      hint &&
      !inbound.attachments.length &&
      inbound.html === undefined &&
      inbound.raw === undefined
    ) {
      const fast = await this.ingestIntoSession(inbox, inbound, hint);
      if (fast) return fast;
    }
    // Redeliveries are caught by the unique index inside the transaction, which then rolls
    // back; an up-front lookup is only worth it when files would otherwise be written again.
    if (inbound.attachments.some((a) => a.data)) {
      const stored = await this.findStored(inbox.id, inbound.providerMessageId);
      if (stored) return stored;
    }
    // Files are written before the transaction; an aborted transaction leaves only an orphan
    // file, never a row pointing at nothing.
    const savedFiles = await Promise.all(
      inbound.attachments
        .filter((a) => a.data)
        .map(async (a) => ({ ...a, ...(await this.files.save(a.data!)) })),
    );
    try {
      return await this.uow.run(async (tx, emit) => {
        const now = inbound.receivedAt ?? new Date();
        const contact = await this.resolveContact(tx, inbound, now);
        const { row: conversation, created } = await this.resolveConversation(
          tx,
          inbox,
          contact.id,
          inbound,
          now,
        );
        const [message] = await tx
          .insert(messages)
          .values({
            conversationId: conversation.id,
            inboxId: inbox.id,
            direction: 'in',
            senderType: 'contact',
            senderId: contact.id,
            text: inbound.text,
            html: inbound.html ?? null,
            searchText: normalizeForSearch(inbound.text),
            private: false,
            status: 'received',
            providerMessageId: inbound.providerMessageId,
            meta: inbound.raw === undefined ? {} : { raw: inbound.raw },
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoNothing()
          .returning();
        if (!message) throw new DuplicateDelivery();
        const files = [
          ...savedFiles.map((f) => ({
            messageId: message.id,
            fileName: f.fileName,
            contentType: f.contentType,
            size: f.size,
            storagePath: f.storagePath,
            providerUrl: f.url ?? null,
          })),
          ...inbound.attachments
            .filter((a) => !a.data && a.url)
            .map((a) => ({
              messageId: message.id,
              fileName: a.fileName,
              contentType: a.contentType,
              size: 0,
              providerUrl: a.url!,
            })),
        ];
        const fileRows = files.length ? await tx.insert(attachments).values(files).returning() : [];
        const firstMessage = created || conversation.messageCount === 0;
        const [updated] = await tx
          .update(conversations)
          .set({
            lastMessageAt: now,
            lastIncomingAt: now,
            lastMessagePreview: previewOf(
              inbound.text || (files.length ? `📎 ${files[0]!.fileName}` : ''),
            ),
            unreadCount: sql`${conversations.unreadCount} + 1`,
            messageCount: sql`${conversations.messageCount} + 1`,
            waitingSince: conversation.waitingSince ?? now,
            status:
              conversation.status === 'resolved' || conversation.status === 'snoozed'
                ? 'open'
                : conversation.status,
            resolvedAt: null,
            snoozedUntil: null,
            updatedAt: now,
          })
          .where(eq(conversations.id, conversation.id))
          .returning();
        // Built from what is at hand: this is the hot path, every query counts.
        const dto = toMessageDto(message, contact, fileRows);
        const convDto = await this.repo.toDto(updated!, contact, tx);
        if (firstMessage) emit('conversation.created', { conversation: convDto });
        emit('message.created', {
          conversationId: conversation.id,
          inboxId: inbox.id,
          message: dto,
          conversation: convDto,
        });
        if (!firstMessage)
          emit('conversation.updated', { conversation: convDto, changes: ['lastMessageAt'] });
        return { message: dto, conversation: convDto, contactId: contact.id, duplicate: false };
      });
    } catch (err) {
      if (!(err instanceof DuplicateDelivery)) throw err;
      const again = await this.findStored(inbox.id, inbound.providerMessageId);
      if (!again) throw err;
      return again;
    }
  }

  /**
   * Web chat's fast path: the socket session already knows contact and conversation, so one
   * database function (migration 0001) locks that conversation, stores the message and updates
   * the counters in a single statement. Undefined when that conversation may not take the
   * message (closed past the reopen window, or not this contact's): the general path decides.
   */
  private async ingestIntoSession(
    inbox: InboxRef,
    inbound: InboundMessage,
    hint: SessionHint,
  ): Promise<IngestResult | undefined> {
    const now = inbound.receivedAt ?? new Date();
    const outcome = await this.uow.statement(async (db, emit) => {
      const result = await this.batcher.run({
        conversationId: hint.conversationId,
        contactId: hint.contactId,
        inboxId: inbox.id,
        reopenHours: reopenWindowHours(inbox),
        text: inbound.text,
        searchText: normalizeForSearch(inbound.text),
        preview: previewOf(inbound.text),
        providerMessageId: inbound.providerMessageId,
        at: now,
      });
      if (result.outcome !== 'stored') return result.outcome;
      const contact = { id: hint.contactId, name: result.contactName };
      const message = toMessageDto(rowFromJson(messages, result.message), contact);
      const conversation = await this.repo.toDto(
        rowFromJson(conversations, result.conversation),
        contact,
        db,
      );
      if (result.firstMessage) emit('conversation.created', { conversation });
      emit('message.created', {
        conversationId: conversation.id,
        inboxId: inbox.id,
        message,
        conversation,
      });
      if (!result.firstMessage)
        emit('conversation.updated', { conversation, changes: ['lastMessageAt'] });
      return { message, conversation, contactId: hint.contactId, duplicate: false };
    });
    if (outcome === 'fallback') return undefined;
    if (outcome === 'duplicate')
      return (await this.findStored(inbox.id, inbound.providerMessageId)) ?? undefined;
    return outcome;
  }

  /**
   * The contact behind an identity, created when new, and locked for this transaction so two
   * first messages from one new customer cannot open two conversations.
   */
  async resolveContact(
    tx: Tx,
    inbound: Pick<InboundMessage, 'sender'>,
    now: Date,
  ): Promise<{ id: string; name: string }> {
    const { kind, value, name } = inbound.sender;
    const [existing] = await queryRows<{ id: string; name: string }>(
      tx,
      sql`select c.id, c.name from contact_identities i join contacts c on c.id = i.contact_id
          where i.kind = ${kind} and i.value = ${value} for update of c`,
    );
    if (existing) return existing;
    // A web visitor has no name until they give one; agents need something to call them.
    const displayName =
      name?.trim() || (kind === 'webchat' ? `Visitor ${value.slice(0, 6).toUpperCase()}` : value);
    const [created] = await tx
      .insert(contacts)
      .values({
        name: displayName,
        searchText: normalizeForSearch(`${displayName} ${kind === 'webchat' ? '' : value}`),
        lastSeenAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: contacts.id, name: contacts.name });
    const [identity] = await tx
      .insert(contactIdentities)
      .values({ contactId: created!.id, kind, value })
      .onConflictDoNothing()
      .returning({ id: contactIdentities.id });
    if (identity) return created!;
    // Another transaction created this identity meanwhile: use its contact, drop ours.
    await tx.delete(contacts).where(eq(contacts.id, created!.id));
    return this.resolveContact(tx, inbound, now);
  }

  private async resolveConversation(
    tx: Tx,
    inbox: InboxRef,
    contactId: string,
    inbound: Pick<InboundMessage, 'threadKey' | 'subject' | 'channel'>,
    now: Date,
  ): Promise<{ row: ConversationRow; created: boolean }> {
    const where = [eq(conversations.inboxId, inbox.id), eq(conversations.contactId, contactId)];
    if (inbound.threadKey) where.push(eq(conversations.threadKey, inbound.threadKey));
    const [latest] = await tx
      .select()
      .from(conversations)
      .where(and(...where))
      .orderBy(desc(conversations.createdAt))
      .limit(1)
      .for('update');
    const choice = chooseConversation(latest, now, reopenWindowHours(inbox));
    if (choice !== 'create' && latest) return { row: latest, created: false };
    const [row] = await tx
      .insert(conversations)
      .values({
        inboxId: inbox.id,
        contactId,
        channel: inbox.channel,
        status: inbox.settings['botEnabled'] === true ? 'bot' : 'open',
        threadKey: inbound.threadKey ?? null,
        subject: inbound.subject ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    return { row: row!, created: true };
  }

  /**
   * The web-chat session needs a conversation id before the first message: find the latest
   * one or open an empty one (invisible in lists until the visitor writes; no event yet).
   */
  async sessionConversation(
    inbox: InboxRef,
    sender: InboundMessage['sender'],
  ): Promise<{ contactId: string; conversationId: string }> {
    return this.uow.run(async (tx) => {
      const now = new Date();
      const contact = await this.resolveContact(tx, { sender }, now);
      const { row } = await this.resolveConversation(
        tx,
        inbox,
        contact.id,
        { channel: inbox.channel },
        now,
      );
      return { contactId: contact.id, conversationId: row.id };
    });
  }

  private async findStored(
    inboxId: string,
    providerMessageId: string,
  ): Promise<IngestResult | null> {
    const [row] = await this.repo.db
      .select()
      .from(messages)
      .where(
        and(
          eq(messages.inboxId, inboxId),
          eq(messages.direction, 'in'),
          eq(messages.providerMessageId, providerMessageId),
        ),
      )
      .limit(1);
    return row ? this.resultFor(row) : null;
  }

  private async resultFor(row: MessageRow): Promise<IngestResult> {
    const [dto] = await this.repo.messageDtos([row]);
    const conversation = (await this.repo.dto(row.conversationId))!;
    return { message: dto!, conversation, contactId: conversation.contact.id, duplicate: true };
  }
}
