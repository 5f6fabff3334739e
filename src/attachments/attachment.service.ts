import type { ReadStream } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { attachments, messages, type AttachmentRow } from '../db/schema';
import type { Principal } from '../auth/auth.service';
import type { ConversationService } from '../conversations/conversation.service';
import { toAttachmentDto, type AttachmentDto } from '../conversations/dto';
import { AppError, badRequest, notFound } from '../errors';
import { cleanText } from '../text/clean';
import type { AttachmentStore } from './attachment.store';

/** Agents' uploads and downloads. Files are only ever served from our own storage. */
export class AttachmentService {
  constructor(
    private readonly db: Db,
    private readonly files: AttachmentStore,
    private readonly conversations: ConversationService,
  ) {}

  async upload(
    principal: Principal,
    input: { fileName: string; contentType: string; data: unknown },
  ): Promise<AttachmentDto> {
    if (!Buffer.isBuffer(input.data) || input.data.length === 0)
      throw badRequest('the body must be the file, not empty');
    const saved = await this.files.save(input.data);
    const [row] = await this.db
      .insert(attachments)
      .values({
        fileName: cleanText(input.fileName),
        contentType: input.contentType,
        size: saved.size,
        storagePath: saved.storagePath,
        uploaderId: principal.id,
      })
      .returning();
    return toAttachmentDto(row!);
  }

  /** A stored file by id, for a signed public link (the link is the permission). */
  async openStored(id: string): Promise<{ row: AttachmentRow; stream: ReadStream }> {
    const [row] = await this.db.select().from(attachments).where(eq(attachments.id, id));
    if (!row?.storagePath) throw notFound('attachment');
    return { row, stream: this.files.open(row.storagePath) };
  }

  async open(
    principal: Principal,
    id: string,
  ): Promise<{ row: AttachmentRow; stream: ReadStream }> {
    const [found] = await this.db
      .select({ a: attachments, conversationId: messages.conversationId })
      .from(attachments)
      .leftJoin(messages, eq(messages.id, attachments.messageId))
      .where(eq(attachments.id, id));
    if (!found) throw notFound('attachment');
    // Unsent uploads belong to their uploader; sent ones to whoever may see the conversation.
    if (found.conversationId)
      await this.conversations.requireVisible(principal, found.conversationId);
    else if (found.a.uploaderId !== principal.id) throw notFound('attachment');
    const row = found.a;
    if (!row.storagePath) {
      if (row.fetchState === 'pending')
        throw new AppError(409, 'media_pending', 'the file is still being fetched; try again soon');
      throw new AppError(
        410,
        'media_unavailable',
        row.fetchError ?? 'the file could not be fetched from the provider',
      );
    }
    return { row, stream: this.files.open(row.storagePath) };
  }
}
