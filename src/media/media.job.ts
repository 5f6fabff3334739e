import { eq, and, isNull } from 'drizzle-orm';
import { MediaTooLargeError } from '../../channels/types';
import type { Db } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { attachments, messages } from '../db/schema';
import type { AttachmentStore } from '../attachments/attachment.store';
import type { ChannelHost } from '../channel-host/channel-host';
import type { MessageRepository } from '../conversations/message.repository';
import { JobError, type JobContext, type JobHandler } from '../jobs/worker';

export const MEDIA_JOB = 'media.fetch';

/**
 * The `media.fetch` job: a file the customer sent, known only by the provider's reference (a
 * Telegram file id, a Twilio media URL), is fetched by its channel with the inbox's credentials
 * into our storage. Agents only ever download our copy: no provider URL (which may carry a
 * token) is shown or redirected to.
 */
export class MediaJob {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly messages: MessageRepository,
    private readonly host: ChannelHost,
    private readonly files: AttachmentStore,
    private readonly opts: { maxBytes: number; timeoutMs: number },
  ) {}

  handler(): JobHandler {
    return (ctx) => this.run(ctx);
  }

  private async run(ctx: JobContext): Promise<void> {
    const id = String(ctx.job.payload['attachmentId']);
    const [row] = await this.db
      .select({ a: attachments, inboxId: messages.inboxId })
      .from(attachments)
      .innerJoin(messages, eq(messages.id, attachments.messageId))
      .where(eq(attachments.id, id));
    if (!row || row.a.storagePath || row.a.fetchState !== 'pending') return;
    const live = await this.host.get(row.inboxId);
    if (!live?.instance.fetchMedia || !row.a.mediaRef)
      return this.finish(ctx, id, { state: 'failed', error: 'this channel cannot fetch files' });
    let fetched;
    try {
      fetched = await live.instance.fetchMedia(row.a.mediaRef as Record<string, string>, {
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(this.opts.timeoutMs)]),
        maxBytes: this.opts.maxBytes,
      });
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      if (err instanceof MediaTooLargeError)
        return this.finish(ctx, id, { state: 'too_large', error: err.message, size: err.size });
      if (ctx.job.attempts >= ctx.job.maxAttempts)
        return this.finish(ctx, id, { state: 'failed', error: (err as Error).message });
      throw new JobError((err as Error).message, true);
    }
    if (fetched.data.length > this.opts.maxBytes)
      return this.finish(ctx, id, {
        state: 'too_large',
        error: new MediaTooLargeError(fetched.data.length, this.opts.maxBytes).message,
        size: fetched.data.length,
      });
    const saved = await this.files.save(fetched.data);
    await this.finish(ctx, id, {
      state: 'stored',
      storagePath: saved.storagePath,
      size: saved.size,
      contentType: fetched.contentType,
      fileName: fetched.fileName,
    });
  }

  /** Records the outcome once (only while the file is still missing) and shows it live. */
  private async finish(
    ctx: JobContext,
    id: string,
    outcome: {
      state: 'stored' | 'failed' | 'too_large';
      error?: string;
      storagePath?: string;
      size?: number;
      contentType?: string;
      fileName?: string | undefined;
    },
  ): Promise<void> {
    await this.uow.run(async (tx, emit) => {
      await ctx.complete(tx);
      const [updated] = await tx
        .update(attachments)
        .set({
          fetchState: outcome.state,
          fetchError: outcome.error ?? null,
          ...(outcome.storagePath ? { storagePath: outcome.storagePath } : {}),
          ...(outcome.size !== undefined ? { size: outcome.size } : {}),
          ...(outcome.contentType ? { contentType: outcome.contentType } : {}),
          ...(outcome.fileName ? { fileName: outcome.fileName } : {}),
        })
        .where(and(eq(attachments.id, id), isNull(attachments.storagePath)))
        .returning();
      if (!updated?.messageId) return;
      const message = await this.messages.find(updated.messageId, tx);
      if (!message) return;
      emit('message.updated', {
        conversationId: message.conversationId,
        inboxId: message.inboxId,
        message: await this.messages.dto(message, tx),
      });
    });
  }
}
