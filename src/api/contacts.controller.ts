import { Router, raw } from 'express';
import * as schemas from './schemas';
import { items, op, ref, type Json } from './openapi-kit';
import type { ContactService } from '../contacts/contact.service';
import type { SearchService } from '../search/search.service';
import type { AttachmentService } from '../attachments/attachment.service';
import { contactPatch, contactsQuery, idParam, searchQuery, uploadQuery } from './schemas';
import { parse, principalOf } from './http';

export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export function contactRoutes(deps: {
  contacts: ContactService;
  search: SearchService;
  attachments: AttachmentService;
}): Router {
  const router = Router();

  router.get('/contacts', async (req, res) => {
    const { q, limit } = parse(contactsQuery, req.query);
    res.json({ items: await deps.contacts.search(principalOf(req), q, limit) });
  });
  router.get('/contacts/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await deps.contacts.get(principalOf(req), id));
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
      const contentType = (req.headers['content-type'] ?? 'application/octet-stream')
        .split(';')[0]!
        .trim();
      res.status(201).json(
        await deps.attachments.upload(principalOf(req), {
          fileName,
          contentType,
          data: req.body as unknown,
        }),
      );
    },
  );

  router.get('/attachments/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const { row, stream } = await deps.attachments.open(principalOf(req), id);
    res.setHeader('Content-Type', row.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Never rendered inline: a customer's HTML or SVG must not run on our origin.
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
    );
    stream.on('error', () => res.destroy()).pipe(res);
  });

  return router;
}

/** OpenAPI paths of these routes (composed in openapi.ts). */
export const contactPaths: Record<string, Json> = {
  '/attachments': {
    post: op('Upload a file (raw body) to attach to a reply', {
      query: schemas.uploadQuery,
      response: [201, 'attachment', ref('Attachment')],
    }),
  },
  '/attachments/{id}': {
    get: op('Download a file', { path: true, response: [200, 'the file'] }),
  },
  '/contacts': {
    get: op('Search contacts', {
      query: schemas.contactsQuery,
      response: [200, 'contacts', items('Contact')],
    }),
  },
  '/contacts/{id}': {
    get: op('One contact', { path: true, response: [200, 'contact', ref('Contact')] }),
    patch: op('Edit a contact (audited)', {
      path: true,
      body: schemas.contactPatch,
      response: [200, 'contact', ref('Contact')],
    }),
  },
  '/contacts/{id}/conversations': {
    get: op("The contact's conversations on every channel", {
      path: true,
      response: [200, 'conversations', items('Conversation')],
    }),
  },
  '/search': {
    get: op('Search messages and contacts (Persian/Russian folded)', {
      query: schemas.searchQuery,
      response: [200, 'hits', { type: 'object' }],
    }),
  },
};
