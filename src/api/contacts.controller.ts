import { Router, raw } from 'express';
import { eq } from 'drizzle-orm';
import type { ContactService } from '../contacts/contact.service';
import type { SearchService } from '../search/search.service';
import type { ConversationService } from '../conversations/conversation.service';
import type { AttachmentStore } from '../attachments/attachment.store';
import type { Db } from '../db/client';
import { attachments, messages } from '../db/schema';
import { toAttachmentDto } from '../conversations/dto';
import { badRequest, notFound } from './errors';
import { contactPatch, contactsQuery, idParam, searchQuery, uploadQuery } from './schemas';
import { parse, principalOf } from './http';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export function contactRoutes(deps: {
  db: Db;
  contacts: ContactService;
  search: SearchService;
  conversations: ConversationService;
  files: AttachmentStore;
}): Router {
  const router = Router();

  router.get('/contacts', async (req, res) => {
    const { q, limit } = parse(contactsQuery, req.query);
    res.json({ items: await deps.contacts.search(q, limit) });
  });
  router.get('/contacts/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await deps.contacts.get(id));
  });
  router.patch('/contacts/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await deps.contacts.update(principalOf(req), id, parse(contactPatch, req.body)));
  });
  router.get('/contacts/:id/conversations', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json({ items: await deps.contacts.conversations(principalOf(req), id) });
  });

  router.get('/search', async (req, res) => {
    const { q, limit } = parse(searchQuery, req.query);
    res.json(await deps.search.search(principalOf(req), q, limit));
  });

  router.post(
    '/attachments',
    raw({ type: () => true, limit: MAX_UPLOAD_BYTES }),
    async (req, res) => {
      const { fileName } = parse(uploadQuery, req.query);
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw badRequest('the body must be the file, not empty');
      const contentType = (req.headers['content-type'] ?? 'application/octet-stream')
        .split(';')[0]!
        .trim();
      const saved = await deps.files.save(body);
      const [row] = await deps.db
        .insert(attachments)
        .values({
          fileName,
          contentType,
          size: saved.size,
          storagePath: saved.storagePath,
          uploaderId: principalOf(req).id,
        })
        .returning();
      res.status(201).json(toAttachmentDto(row!));
    },
  );

  router.get('/attachments/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const principal = principalOf(req);
    const [row] = await deps.db
      .select({ a: attachments, conversationId: messages.conversationId })
      .from(attachments)
      .leftJoin(messages, eq(messages.id, attachments.messageId))
      .where(eq(attachments.id, id));
    if (!row) throw notFound('attachment');
    // Unsent uploads belong to their uploader; sent ones to whoever may see the conversation.
    if (row.conversationId) await deps.conversations.requireVisible(principal, row.conversationId);
    else if (row.a.uploaderId !== principal.id) throw notFound('attachment');
    if (!row.a.storagePath) {
      if (row.a.providerUrl) return res.redirect(row.a.providerUrl);
      throw notFound('attachment file');
    }
    res.setHeader('Content-Type', row.a.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Never rendered inline: a customer's HTML or SVG must not run on our origin.
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(row.a.fileName)}`,
    );
    deps.files
      .open(row.a.storagePath)
      .on('error', () => res.destroy())
      .pipe(res);
  });

  return router;
}
