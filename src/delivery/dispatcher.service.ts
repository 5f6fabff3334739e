import { and, eq, sql } from 'drizzle-orm';
import type { UnitOfWork } from '../db/unit-of-work';
import { queryRows } from '../db/rows';
import {
  attachments,
  contactIdentities,
  conversations,
  deliveries,
  messages,
  type ChannelKind,
  type IdentityKind,
} from '../db/schema';
import { ChannelSendError, type ChannelRegistry, type OutboundMessage } from '../../channels/types';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { AttachmentStore } from '../attachments/attachment.store';
import type { Logger } from '../logger';
import { retryDelayMs } from './backoff';

/** Which identity kind a channel sends to. */
const RECIPIENT_KIND: Record<ChannelKind, IdentityKind> = {
  webchat: 'webchat',
  sms: 'phone',
  voice: 'phone',
  email: 'email',
  telegram: 'telegram',
  botframework: 'botframework',
};

// A claimed delivery is leased for this long; if the process dies mid-send, another worker (or
// this one after restart) takes it up again when the lease runs out.
const LEASE_MS = 60_000;
const BATCH = 20;

interface Claimed {
  id: string;
  message_id: string;
  attempts: number;
}

/**
 * Sends queued replies through their channel adapters. The queue is the `deliveries` table:
 * rows are claimed with FOR UPDATE SKIP LOCKED, so several instances can run dispatchers, and
 * retries are timestamps in the database, so they survive a restart.
 */
export class DispatcherService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: ConversationRepository,
    private readonly channels: ChannelRegistry,
    private readonly files: AttachmentStore,
    private readonly logger: Logger,
    private readonly opts: { pollMs: number; maxAttempts: number },
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.kick();
  }

  /** Run a pass now (a reply was just queued); passes never overlap. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.logger.error({ err }, 'delivery pass failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Stops polling and waits for the sends in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.claim();
      if (!batch.length) return;
      await Promise.all(batch.map((d) => this.deliver(d)));
      if (batch.length < BATCH || this.stopped) return;
    }
  }

  private async claim(): Promise<Claimed[]> {
    const db = this.repo.db;
    return queryRows<Claimed>(
      db,
      sql`
      with due as (
        select id from deliveries
        where state = 'pending' and next_attempt_at <= now()
        order by next_attempt_at
        limit ${BATCH}
        for update skip locked
      )
      update deliveries d
         set attempts = d.attempts + 1,
             next_attempt_at = now() + make_interval(secs => ${LEASE_MS / 1000}),
             updated_at = now()
        from due where d.id = due.id
      returning d.id, d.message_id, d.attempts`,
    );
  }

  private async deliver(claimed: Claimed): Promise<void> {
    let prepared: { outbound: OutboundMessage; channel: ChannelKind } | string;
    try {
      prepared = await this.buildOutbound(claimed.message_id);
    } catch (err) {
      prepared = `could not prepare the message: ${(err as Error).message}`;
    }
    if (typeof prepared === 'string')
      return this.record(claimed, { ok: false, reason: prepared, retryable: false });
    const { outbound, channel } = prepared;
    const adapter = this.channels.get(channel);
    if (!adapter) {
      return this.record(claimed, {
        ok: false,
        reason: 'this channel is not configured on the server',
        retryable: true,
      });
    }
    try {
      const result = await adapter.send(outbound);
      await this.record(claimed, { ok: true, providerMessageId: result.providerMessageId });
    } catch (err) {
      const retryable = err instanceof ChannelSendError ? err.retryable : true;
      await this.record(claimed, {
        ok: false,
        reason: (err as Error).message || String(err),
        retryable,
      });
    }
  }

  /** The message as its channel needs it, or why it cannot be sent. */
  private async buildOutbound(
    messageId: string,
  ): Promise<{ outbound: OutboundMessage; channel: ChannelKind } | string> {
    const db = this.repo.db;
    const [row] = await db
      .select({ m: messages, c: conversations })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(eq(messages.id, messageId));
    if (!row) return 'the message no longer exists';
    // Private notes never reach an adapter, whatever put them in the queue.
    if (row.m.private) return 'private notes are never sent';
    const kind = RECIPIENT_KIND[row.c.channel];
    const [recipient] = await db
      .select({ kind: contactIdentities.kind, value: contactIdentities.value })
      .from(contactIdentities)
      .where(
        and(eq(contactIdentities.contactId, row.c.contactId), eq(contactIdentities.kind, kind)),
      )
      .orderBy(contactIdentities.createdAt)
      .limit(1);
    if (!recipient) return `the contact has no ${kind} identity to send to`;
    const files = await db.select().from(attachments).where(eq(attachments.messageId, messageId));
    const outbound: OutboundMessage = {
      messageId,
      conversationId: row.c.id,
      inboxId: row.c.inboxId,
      recipient,
      threadKey: row.c.threadKey,
      subject: row.c.subject,
      text: row.m.text,
      attachments: files.map((f) => ({
        fileName: f.fileName,
        contentType: f.contentType,
        path: f.storagePath ? this.files.absolutePath(f.storagePath) : null,
        url: `/api/v1/attachments/${f.id}`,
      })),
      createdAt: row.m.createdAt,
    };
    return { outbound, channel: row.c.channel };
  }

  private async record(
    claimed: Claimed,
    outcome:
      | { ok: true; providerMessageId?: string | undefined }
      | { ok: false; reason: string; retryable: boolean },
  ): Promise<void> {
    await this.uow.run(async (tx, emit) => {
      const now = new Date();
      const giveUp =
        !outcome.ok && (!outcome.retryable || claimed.attempts >= this.opts.maxAttempts);
      if (outcome.ok) {
        await tx
          .update(deliveries)
          .set({ state: 'done', lastError: null, updatedAt: now })
          .where(eq(deliveries.id, claimed.id));
      } else {
        await tx
          .update(deliveries)
          .set({
            state: giveUp ? 'dead' : 'pending',
            lastError: outcome.reason,
            nextAttemptAt: new Date(now.getTime() + retryDelayMs(claimed.attempts)),
            updatedAt: now,
          })
          .where(eq(deliveries.id, claimed.id));
      }
      const reason = outcome.ok
        ? null
        : giveUp
          ? outcome.reason
          : `${outcome.reason} (attempt ${claimed.attempts} of ${this.opts.maxAttempts}, retrying)`;
      const [message] = await tx
        .update(messages)
        .set({
          status: outcome.ok ? 'sent' : giveUp ? 'failed' : 'queued',
          failureReason: reason,
          ...(outcome.ok && outcome.providerMessageId
            ? { providerMessageId: outcome.providerMessageId }
            : {}),
          updatedAt: now,
        })
        .where(eq(messages.id, claimed.message_id))
        .returning();
      if (!message) return;
      if (!outcome.ok)
        this.logger.warn({ messageId: message.id, reason, giveUp }, 'delivery failed');
      const [dto] = await this.repo.messageDtos([message], tx);
      emit('message.updated', {
        conversationId: message.conversationId,
        inboxId: message.inboxId,
        message: dto!,
      });
    });
  }
}
