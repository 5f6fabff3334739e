import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors';
import { parse } from '../api/http';
import type { AttachmentService } from './attachment.service';
import type { PublicMediaLinks } from './public-media';

const params = z.object({ id: z.string().uuid() }).strict();
const query = z.object({ exp: z.string().max(20), sig: z.string().max(100) }).strict();

/**
 * `GET /media/:id?exp&sig`: a stored file for a provider that fetches it without a login (MMS,
 * voice prompts). Only with a valid, unexpired signature; always as a download (never rendered
 * on our origin) and never sniffed.
 */
export function publicMediaRoutes(deps: {
  links: PublicMediaLinks;
  attachments: AttachmentService;
}): Router {
  const router = Router();
  router.get('/:id', async (req, res) => {
    const { id } = parse(params, req.params);
    const { exp, sig } = parse(query, req.query);
    if (!deps.links.verify(id, exp, sig))
      throw new AppError(403, 'forbidden', 'this media link is not valid or has expired');
    const { row, stream } = await deps.attachments.openStored(id);
    res.setHeader('Content-Type', row.contentType);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeURIComponent(row.fileName)}`,
    );
    if (row.size) res.setHeader('Content-Length', String(row.size));
    stream.on('error', () => res.destroy()).pipe(res);
  });
  return router;
}
