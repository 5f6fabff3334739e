import { and, eq } from 'drizzle-orm';
import { unreachableReason } from '../contacts/reachability';
import { ChannelSendError, type OutboundMessage } from '../../channels/types';
import type { Db, Executor } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  attachments,
  contactIdentities,
  conversations,
  messages,
  users,
  type AttachmentRow,
  type IdentityKind,
  type MessageRow,
} from '../db/schema';
import type { ChannelHost } from '../channel-host/channel-host';
import type { HealthTracker } from '../channel-host/health';
import type { AttachmentStore } from '../attachments/attachment.store';
import type { ContactService } from '../contacts/contact.service';
import type { MessageRepository } from '../conversations/message.repository';
import type { EventMap } from '../events/event-map';
import type { JobContext, JobHandler } from '../jobs/worker';
import { retryDelayMs } from '../jobs/backoff';
import { outboundOf } from './outbound';
import type { Logger } from '../logger';

type Prepared =
  { outbound: OutboundMessage; files: AttachmentRow[] } | { problem: string } | { done: true };

/**
 * The `delivery` job: sends one queued message through its inbox's channel, outside any
 * transaction and with a timeout well inside the job's lease (which the worker's heartbeat
 * keeps alive meanwhile). The outcome is recorded in the transaction that finishes the job,
 * fenced by the lease token: a worker that lost its lease records nothing.
 */
export class DeliveryJob {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly messages: MessageRepository,
    private readonly contacts: ContactService,
    private readonly host: ChannelHost,
    private readonly health: HealthTracker,
    private readonly files: AttachmentStore,
    private readonly logger: Logger,
    private readonly opts: {
      sendTimeoutMs: number;
      /** A signed public address of a stored file, for providers that fetch media (MMS). */
      publicUrl?: (attachmentId: string) => string;
    },
  ) {}

  handler(): JobHandler {
    return (ctx) => this.run(ctx);
  }

  private async run(ctx: JobContext): Promise<void> {
    const messageId = String(ctx.job.payload['messageId']);
    let prepared: Prepared;
    try {
      prepared = await this.prepare(messageId);
    } catch (err) {
      prepared = { problem: `could not prepare the message: ${(err as Error).message}` };
    }
    if ('done' in prepared) return;
    if ('problem' in prepared) return this.fail(ctx, messageId, prepared.problem, false);
    const { outbound, files } = prepared;
    let result;
    try {
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(this.opts.sendTimeoutMs)]);
      result = await this.host.send(outbound.inboxId, outbound, signal);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      const sendError = err instanceof ChannelSendError ? err : undefined;
      const reason = (err as Error).message || String(err);
      if (sendError?.opts.identityState)
        await this.contacts.setIdentityState(
          outbound.recipient,
          sendError.opts.identityState,
          reason,
        );
      if (sendError?.retryable !== false) this.health.failing(outbound.inboxId, reason);
      return this.fail(
        ctx,
        messageId,
        reason,
        sendError?.retryable ?? true,
        sendError?.opts.retryAfterMs,
      );
    }
    this.health.ok(outbound.inboxId);
    await this.uow.run(async (tx, emit) => {
      await ctx.complete(tx);
      const row = await this.messages.update(tx, messageId, {
        status: 'sent',
        failureReason: null,
        ...(result.providerMessageId ? { providerMessageId: result.providerMessageId } : {}),
      });
      if (row) emit('message.updated', await this.updated(row, tx, files));
    });
  }

  private async fail(
    ctx: JobContext,
    messageId: string,
    reason: string,
    retryable: boolean,
    retryAfterMs?: number,
  ): Promise<void> {
    const { attempts, maxAttempts } = ctx.job;
    const giveUp = !retryable || attempts >= maxAttempts;
    const shown = giveUp ? reason : `${reason} (attempt ${attempts} of ${maxAttempts}, retrying)`;
    this.logger.warn({ messageId, reason, giveUp }, 'delivery failed');
    await this.uow.run(async (tx, emit) => {
      if (giveUp) await ctx.giveUp(tx, reason);
      else {
        const delay = Math.max(retryAfterMs ?? 0, retryDelayMs(attempts));
        await ctx.retry(tx, new Date(Date.now() + delay), reason);
      }
      const row = await this.messages.update(tx, messageId, {
        status: giveUp ? 'failed' : 'queued',
        failureReason: shown,
      });
      if (row) emit('message.updated', await this.updated(row, tx));
    });
  }

  private async updated(
    row: MessageRow,
    tx: Executor,
    files?: AttachmentRow[],
  ): Promise<EventMap['message.updated']> {
    return {
      conversationId: row.conversationId,
      inboxId: row.inboxId,
      message: await this.messages.dto(row, tx, files ? { files } : {}),
    };
  }

  /** The message as its channel needs it, or why it cannot be sent. */
  private async prepare(messageId: string): Promise<Prepared> {
    const [row] = await this.db
      .select({ m: messages, c: conversations })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(eq(messages.id, messageId));
    if (!row) return { done: true };
    // Private notes never reach a channel, whatever put them in the queue.
    if (row.m.private) return { problem: 'private notes are never sent' };
    if (row.m.status !== 'queued') return { done: true };
    const definition = this.host.definition(row.c.channel);
    if (!definition) return { problem: `no ${row.c.channel} channel exists on this server` };
    const recipient = await this.recipient(
      row.c.contactIdentityId,
      row.c.contactId,
      definition.recipientKind,
    );
    if (!recipient)
      return { problem: `the contact has no ${definition.recipientKind} identity to send to` };
    if (recipient.state !== 'ok') return { problem: unreachableReason(recipient) };
    const files = await this.db
      .select()
      .from(attachments)
      .where(eq(attachments.messageId, messageId));
    const [author] =
      row.m.senderType === 'user' && row.m.senderId
        ? await this.db.select({ name: users.name }).from(users).where(eq(users.id, row.m.senderId))
        : [];
    return {
      outbound: outboundOf(
        row.c,
        row.m,
        { kind: recipient.kind, value: recipient.value },
        {
          attachments: files
            .filter((f) => f.storagePath)
            .map((f) => ({
              fileName: f.fileName,
              contentType: f.contentType,
              size: f.size,
              path: this.files.absolutePath(f.storagePath!),
              ...(this.opts.publicUrl ? { publicUrl: this.opts.publicUrl(f.id) } : {}),
            })),
          senderName: author?.name ?? null,
        },
      ),
      files,
    };
  }

  /** The identity the conversation came from; older conversations: the contact's first one. */
  private async recipient(identityId: string | null, contactId: string, kind: IdentityKind) {
    const columns = {
      kind: contactIdentities.kind,
      value: contactIdentities.value,
      state: contactIdentities.state,
      stateReason: contactIdentities.stateReason,
    };
    if (identityId) {
      const [own] = await this.db
        .select(columns)
        .from(contactIdentities)
        .where(eq(contactIdentities.id, identityId));
      if (own) return own;
    }
    const [first] = await this.db
      .select(columns)
      .from(contactIdentities)
      .where(and(eq(contactIdentities.contactId, contactId), eq(contactIdentities.kind, kind)))
      .orderBy(contactIdentities.createdAt)
      .limit(1);
    return first;
  }
}
