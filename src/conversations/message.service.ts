import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DeliveryStatus } from '../../channels/types';
import type { Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { attachments, conversations, type ConversationRow } from '../db/schema';
import type { Emit } from '../events/event-map';
import type { Actor, Publish } from '../events/domain-events';
import type { JobQueue } from '../jobs/job-queue';
import { badRequest, notFound } from '../errors';
import { normalizeForSearch } from '../search/normalize';
import { cleanText } from '../text/clean';
import type { ConversationRepository } from './conversation.repository';
import { statusMovesForward, type MessageRepository } from './message.repository';
import { previewOf, type MessageButton, type MessageDto } from './dto';

export const DELIVERY_JOB = 'delivery';

export type Sender = { type: 'user'; id: string } | { type: 'bot' } | { type: 'system' };

export interface PostInput {
  sender: Sender;
  text: string;
  private?: boolean | undefined;
  /** Uploads of the sending user, not yet attached to any message. */
  attachmentIds?: string[] | undefined;
  /** Channel hints (kept on the message, read by the channel). */
  meta?: Record<string, unknown> | undefined;
  /**
   * Choices offered with the message: native buttons where the channel has them (Telegram's
   * inline keyboard, the widget's quick replies), a numbered list where it has not.
   */
  buttons?: MessageButton[] | undefined;
  /** Who made it happen, when not the sender itself (a rule): carried on the durable event. */
  actor?: Actor | undefined;
}

/** The stored form of an outbound message's words and buttons (one place for every writer). */
export function outboundContent(input: Pick<PostInput, 'text' | 'buttons' | 'meta'>): {
  text: string;
  searchText: string;
  meta: Record<string, unknown>;
  preview: string;
} {
  const text = cleanText(input.text);
  return {
    text,
    searchText: normalizeForSearch(text),
    meta: input.buttons?.length
      ? {
          ...input.meta,
          buttons: input.buttons.map((b) => ({
            label: cleanText(b.label),
            value: cleanText(b.value),
          })),
        }
      : (input.meta ?? {}),
    preview: previewOf(text || '📎'),
  };
}

/**
 * Outbound messages (agents' replies and notes, the bot's answers, rules' messages), edits and
 * delivery statuses. `post` is the one way to add an outbound message: the message, its delivery
 * job and the conversation's counters change in one transaction; the job worker sends it.
 */
export class MessageService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly jobs: JobQueue,
    private readonly opts: { maxAttempts: number },
  ) {}

  /** Inside the caller's transaction, on a conversation row the caller has locked. */
  async post(
    tx: Tx,
    emit: Emit,
    publish: Publish,
    conversation: ConversationRow,
    input: PostInput,
  ): Promise<MessageDto> {
    const content = outboundContent(input);
    const text = content.text;
    const isPrivate = input.private ?? false;
    const fileIds = [...new Set(input.attachmentIds ?? [])];
    if (!text.trim() && !fileIds.length)
      throw badRequest('text: a message needs text or an attachment');
    const now = new Date();
    const message = await this.messages.insert(tx, {
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      direction: 'out',
      senderType: input.sender.type,
      senderId: input.sender.type === 'user' ? input.sender.id : null,
      text,
      searchText: content.searchText,
      private: isPrivate,
      status: isPrivate ? 'sent' : 'queued',
      meta: content.meta,
      createdAt: now,
      updatedAt: now,
    });
    if (fileIds.length) {
      const uploader = input.sender.type === 'user' ? input.sender.id : null;
      const linked = await tx
        .update(attachments)
        .set({ messageId: message.id })
        .where(
          and(
            inArray(attachments.id, fileIds),
            isNull(attachments.messageId),
            uploader ? eq(attachments.uploaderId, uploader) : sql`false`,
          ),
        )
        .returning({ id: attachments.id });
      if (linked.length !== fileIds.length)
        throw badRequest('attachmentIds: each must be an unused upload of yours');
    }
    if (!isPrivate) {
      await this.jobs.enqueue(tx, {
        kind: DELIVERY_JOB,
        key: message.id,
        payload: { messageId: message.id },
        urgent: true,
        maxAttempts: this.opts.maxAttempts,
      });
    }
    const byPerson = input.sender.type === 'user' && !isPrivate;
    await tx
      .update(conversations)
      .set({
        lastMessageAt: now,
        lastMessagePreview: isPrivate ? conversation.lastMessagePreview : content.preview,
        messageCount: sql`${conversations.messageCount} + 1`,
        ...(input.sender.type === 'user' ? { unreadCount: 0 } : {}),
        // An agent's reply answers the customer and takes the conversation from the bot; the
        // bot's own answers leave the conversation with the bot.
        ...(byPerson
          ? {
              waitingSince: null,
              firstReplyAt: conversation.firstReplyAt ?? now,
              status:
                conversation.status === 'bot' || conversation.status === 'resolved'
                  ? 'open'
                  : conversation.status,
            }
          : {}),
        updatedAt: now,
      })
      .where(eq(conversations.id, conversation.id));
    // Without uploads the message has no attachments: nothing to read back.
    const dto = await this.messages.dto(message, tx, fileIds.length ? {} : { files: [] });
    const updated = (await this.conversations.dto(conversation.id, tx))!;
    emit('message.created', {
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      message: dto,
      conversation: updated,
    });
    await publish('message.posted', {
      messageId: message.id,
      conversationId: conversation.id,
      inboxId: conversation.inboxId,
      senderType: input.sender.type,
      private: isPrivate,
      conversationStatus: updated.status,
      actor:
        input.actor ??
        (input.sender.type === 'user'
          ? { type: 'user', id: input.sender.id }
          : { type: input.sender.type }),
    });
    if (!isPrivate) emit('jobs.enqueued', {});
    return dto;
  }

  /** A bot or rule speaking in a conversation it does not hold a lock on. */
  async postTo(conversationId: string, input: PostInput): Promise<MessageDto> {
    return this.uow.run(async (tx, emit, publish) => {
      const row = await this.conversations.lock(tx, conversationId);
      if (!row) throw notFound('conversation');
      return this.post(tx, emit, publish, row, input);
    });
  }

  /** The customer edited a message on their side: the stored text follows, marked edited. */
  async applyEdit(
    inboxId: string,
    edit: { providerMessageId: string; text: string; editedAt: Date },
  ): Promise<MessageDto | undefined> {
    return this.uow.run(async (tx, emit) => {
      const row = await this.messages.lockByProviderId(tx, inboxId, 'in', edit.providerMessageId);
      if (!row) return undefined;
      const text = cleanText(edit.text);
      const updated = await this.messages.update(tx, row.id, {
        text,
        searchText: normalizeForSearch(text),
        editedAt: edit.editedAt,
        meta: { ...row.meta, originalText: row.meta['originalText'] ?? row.text },
      });
      const dto = await this.messages.dto(updated!, tx);
      emit('message.updated', { conversationId: row.conversationId, inboxId, message: dto });
      return dto;
    });
  }

  /** A provider's delivery report; statuses only ever move forward. */
  async applyStatus(
    inboxId: string,
    report: {
      providerMessageId: string;
      status: DeliveryStatus;
      error?: { code?: string; message: string };
    },
  ): Promise<MessageDto | undefined> {
    return this.uow.run(async (tx, emit) => {
      const row = await this.messages.lockByProviderId(
        tx,
        inboxId,
        'out',
        report.providerMessageId,
      );
      if (!row || !statusMovesForward(row.status, report.status)) return undefined;
      const reason = report.error
        ? report.error.code
          ? `${report.error.message} (${report.error.code})`
          : report.error.message
        : null;
      const updated = await this.messages.update(tx, row.id, {
        status: report.status,
        failureReason: report.status === 'failed' ? reason : row.failureReason,
      });
      const dto = await this.messages.dto(updated!, tx);
      emit('message.updated', { conversationId: row.conversationId, inboxId, message: dto });
      return dto;
    });
  }
}
