import type { InboundMessage } from '../../channels/types';
import { contactSearchSource, identityKindInfo } from '../../channels/identities';
import type { UnitOfWork } from '../db/unit-of-work';
import { attachments, messages, type InboxRow } from '../db/schema';
import { rowFromJson } from '../db/json-row';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageRepository } from '../conversations/message.repository';
import {
  previewOf,
  toMessageDto,
  type ConversationDto,
  type MessageDto,
} from '../conversations/dto';
import { normalizeForSearch } from '../search/normalize';
import type { AttachmentStore } from '../attachments/attachment.store';
import type { DurableEvents } from '../jobs/durable-events';
import { cleanDeep, cleanText } from '../text/clean';
import type { IngestBatcher, IngestCall } from './ingest-batcher';

/** What ingest needs of an inbox. */
export type InboxRef = Pick<InboxRow, 'id' | 'channel' | 'settings' | 'botEnabled'> & {
  /** Conversations keyed by thread (group chats) rather than by contact. */
  threaded?: boolean;
};

export interface IngestResult {
  message: MessageDto;
  conversation: ConversationDto;
  contactId: string;
  /** True when this provider message id was stored before: nothing was written or emitted. */
  duplicate: boolean;
}

/** Resolved conversations come back to life when the customer writes within this window. */
export const DEFAULT_REOPEN_HOURS = 24 * 7;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Raw provider payloads larger than this are not kept on the message. */
const MAX_RAW_BYTES = 64 * 1024;

export function reopenWindowHours(inbox: Pick<InboxRow, 'settings'>): number {
  const value = inbox.settings['reopenWindowHours'];
  return typeof value === 'number' && value >= 0 ? value : DEFAULT_REOPEN_HOURS;
}

/**
 * Every inbound message of every channel goes through `ingest`: one database statement
 * (`ingest_message`, migration 0002) resolves the contact by identity, finds, reopens or opens
 * the conversation, stores the message idempotently with its attachments, updates the counters
 * and writes the durable events. Messages of one event-loop turn share one statement (group
 * commit). Live events go out after commit.
 */
export class IngestService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly files: AttachmentStore,
    private readonly durable: DurableEvents,
    private readonly batcher: IngestBatcher,
    private readonly opts: { maxMediaBytes: number },
  ) {}

  async ingest(
    inbox: InboxRef,
    raw: InboundMessage,
    hint?: { conversationId?: string | undefined },
  ): Promise<IngestResult> {
    const inbound = this.clean(raw);
    // A redelivery must not write its files again: look first when there are files.
    if (inbound.attachments.some((a) => a.data)) {
      const stored = await this.findStored(inbox.id, inbound.providerMessageId);
      if (stored) return stored;
    }
    // Files are written before the statement; an aborted one leaves an orphan file, never a
    // row pointing at nothing.
    const files = await Promise.all(inbound.attachments.map((a) => this.prepareFile(a)));
    const call = this.callFor(inbox, inbound, files, hint?.conversationId);
    const result = await this.uow.statement(async (_db, emit) => {
      const outcome = await this.batcher.run(call);
      if (outcome.outcome === 'duplicate') return null;
      if (outcome.outcome === 'appended') {
        const row = rowFromJson(messages, outcome.message);
        const stored = await this.findStored(inbox.id, inbound.providerMessageId);
        if (!stored) return null;
        const message = { ...stored.message };
        emit('message.updated', { conversationId: row.conversationId, inboxId: inbox.id, message });
        if (outcome.attachments.some((a) => a['fetch_state'] === 'pending'))
          emit('jobs.enqueued', {});
        return { ...stored, duplicate: false };
      }
      const contact = outcome.contact;
      const fileRows = outcome.attachments.map((a) => rowFromJson(attachments, a));
      const stored = rowFromJson(messages, outcome.message);
      const message = toMessageDto(
        stored,
        stored.senderType === 'contact' ? contact : null,
        fileRows,
      );
      const { row, dto: conversation } = await this.conversations.fromFunction(outcome);
      if (outcome.first_message) emit('conversation.created', { conversation });
      // The conversation's list fields ride on the message: no separate conversation.updated.
      emit('message.created', {
        conversationId: conversation.id,
        inboxId: inbox.id,
        message,
        conversation,
      });
      // The conversation is the bot's: its turn, now (the turn's job waits as a safety net).
      if (outcome.bot)
        emit('bot.turn', {
          conversation: row,
          message: { id: stored.id, text: stored.text, createdAt: stored.createdAt },
          bot: outcome.bot,
        });
      if (call.listeners || fileRows.some((f) => f.fetchState === 'pending'))
        emit('jobs.enqueued', {});
      return { message, conversation, contactId: contact.id, duplicate: false };
    });
    return result ?? (await this.findStored(inbox.id, inbound.providerMessageId))!;
  }

  private clean(inbound: InboundMessage): InboundMessage {
    return {
      ...inbound,
      sender: {
        ...inbound.sender,
        value: cleanText(inbound.sender.value),
        ...(inbound.sender.name !== undefined ? { name: cleanText(inbound.sender.name) } : {}),
      },
      providerMessageId: cleanText(inbound.providerMessageId),
      ...(inbound.extraIdentities
        ? {
            extraIdentities: inbound.extraIdentities.map((i) => ({
              ...i,
              value: cleanText(i.value),
            })),
          }
        : {}),
      ...(inbound.profile?.username !== undefined
        ? { profile: { ...inbound.profile, username: cleanText(inbound.profile.username) } }
        : {}),
      text: cleanText(inbound.text),
      ...(inbound.html !== undefined ? { html: cleanText(inbound.html) } : {}),
      ...(inbound.subject !== undefined ? { subject: cleanText(inbound.subject) } : {}),
      ...(inbound.threadKey !== undefined ? { threadKey: cleanText(inbound.threadKey) } : {}),
      ...(inbound.externalId !== undefined ? { externalId: cleanText(inbound.externalId) } : {}),
      ...(inbound.thread
        ? {
            thread: {
              references: inbound.thread.references.map(cleanText),
              // Anything but a UUID would fail the whole statement: a token that is not ours.
              conversationIds: inbound.thread.conversationIds.filter((id) => UUID.test(id)),
              windowDays: inbound.thread.windowDays,
            },
          }
        : {}),
      ...(inbound.participants
        ? {
            participants: inbound.participants.map((p) => ({
              kind: p.kind,
              value: cleanText(p.value),
              ...(p.name !== undefined ? { name: cleanText(p.name) } : {}),
            })),
          }
        : {}),
      attachments: inbound.attachments.map((a) => ({
        ...a,
        fileName: cleanText(a.fileName),
        ...(a.contentId !== undefined ? { contentId: cleanText(a.contentId) } : {}),
      })),
      ...(inbound.meta ? { meta: cleanDeep(inbound.meta) } : {}),
      ...(inbound.channelRef ? { channelRef: cleanDeep(inbound.channelRef) } : {}),
      ...(inbound.labels ? { labels: inbound.labels.map(cleanText) } : {}),
      ...(inbound.autoReply ? { autoReply: { text: cleanText(inbound.autoReply.text) } } : {}),
      ...(inbound.raw !== undefined ? { raw: cleanDeep(inbound.raw) } : {}),
    };
  }

  private async prepareFile(a: InboundMessage['attachments'][number]) {
    const base = {
      file_name: a.fileName || 'file',
      content_type: a.contentType,
      ...(a.contentId ? { content_id: a.contentId } : {}),
      ...(a.error ? { fetch_error: a.error } : {}),
    };
    if (a.data) {
      if (a.data.length > this.opts.maxMediaBytes)
        return { ...base, size: a.data.length, fetch_state: 'too_large' };
      const saved = await this.files.save(a.data);
      return { ...base, size: saved.size, storage_path: saved.storagePath, fetch_state: 'stored' };
    }
    const tooLarge = a.size !== undefined && a.size > this.opts.maxMediaBytes;
    return {
      ...base,
      size: a.size ?? 0,
      media_ref: a.ref ?? null,
      fetch_state: a.ref && !tooLarge ? 'pending' : tooLarge ? 'too_large' : 'failed',
    };
  }

  private callFor(
    inbox: InboxRef,
    inbound: InboundMessage,
    files: Record<string, unknown>[],
    hintConversation: string | undefined,
  ): IngestCall {
    const { kind, value } = inbound.sender;
    const name = inbound.sender.name?.trim() || identityKindInfo(kind).defaultName(value);
    const username = inbound.profile?.username;
    const extra = (inbound.extraIdentities ?? []).filter(
      (i) => i.kind !== kind || i.value !== value,
    );
    const preview = inbound.text || (files[0] ? `📎 ${String(files[0]['file_name'])}` : '');
    const listeners = this.durable.subscriptions(['message.received', 'conversation.created']);
    const meta: Record<string, unknown> = { ...inbound.meta };
    if (inbound.part) meta['parts'] = [inbound.part.key];
    if (inbound.raw !== undefined) {
      const raw = JSON.stringify(inbound.raw);
      if (raw.length <= MAX_RAW_BYTES) meta['raw'] = inbound.raw;
    }
    return {
      inbox: inbox.id,
      channel: inbox.channel,
      kind,
      value,
      name,
      language: inbound.profile?.language ?? null,
      contact_search: normalizeForSearch(
        [contactSearchSource(name, [inbound.sender, ...extra]), username ?? ''].join(' ').trim(),
      ),
      ...(username ? { contact_attributes: { [`${kind}Username`]: username } } : {}),
      ...(extra.length
        ? {
            extra_identities: extra.map((i) => ({
              ...i,
              search: normalizeForSearch(contactSearchSource('', [i])),
            })),
          }
        : {}),
      ...(inbound.part ? { part_key: inbound.part.key } : {}),
      start_status: inbox.botEnabled ? 'bot' : 'open',
      reopen_hours: reopenWindowHours(inbox),
      thread_key: inbound.threadKey ?? null,
      ...(inbound.thread
        ? {
            thread: {
              references: inbound.thread.references,
              conversation_ids: inbound.thread.conversationIds,
              window_days: inbound.thread.windowDays,
            },
          }
        : {}),
      ...(inbound.externalId ? { external_id: inbound.externalId } : {}),
      ...(inbound.mergeChannelRef ? { merge_channel_ref: true } : {}),
      ...(inbound.participants?.length
        ? {
            participants: inbound.participants.map((p) => {
              const who = p.name?.trim() || identityKindInfo(p.kind).defaultName(p.value);
              return {
                kind: p.kind,
                value: p.value,
                name: who,
                search: normalizeForSearch(contactSearchSource(who, [p])),
              };
            }),
          }
        : {}),
      thread_scope: inbox.threaded ? 'thread' : 'contact',
      subject: inbound.subject ?? null,
      channel_ref: inbound.channelRef ?? null,
      text: inbound.text,
      html: inbound.html ?? null,
      search_text: normalizeForSearch(inbound.text),
      preview: previewOf(preview),
      provider_id: inbound.providerMessageId,
      at: (inbound.receivedAt ?? new Date()).toISOString(),
      meta,
      attachments: files,
      ...(inbound.kind === 'system' ? { sender_type: 'system' } : {}),
      ...(inbound.labels?.length ? { labels: inbound.labels } : {}),
      ...(hintConversation ? { hint_conversation: hintConversation } : {}),
      ...(Object.keys(listeners).length ? { listeners } : {}),
    };
  }

  private async findStored(
    inboxId: string,
    providerMessageId: string,
  ): Promise<IngestResult | null> {
    const row = await this.messages.findInbound(inboxId, providerMessageId);
    if (!row) return null;
    const message = await this.messages.dto(row);
    const conversation = (await this.conversations.dto(row.conversationId))!;
    return { message, conversation, contactId: conversation.contact.id, duplicate: true };
  }
}
