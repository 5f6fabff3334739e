import express, { Router, type Request, type Response } from 'express';
import { ChannelParseError, type ParsedEvent } from '../../channels/types';
import type { InboxRepository } from '../inboxes/inbox.repository';
import type { Logger } from '../logger';
import { AppError } from '../errors';
import type { ChannelHost, LiveInbox } from './channel-host';
import type { FailedIngestRepository } from './failed-ingests';
import type { InboundProcessor } from './inbound';
import { webhookRequest } from './webhook-request';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BODY = '5mb';

/**
 * Mounted at `/webhooks`: `/webhooks/<provider>[/<inboxId>][/<subPath>]` finds the inbox (by id, or the inbox made from
 * environment variables for that provider and path), lets its channel verify the request, parse
 * it, stores the events, and answers (the channel's own answer, e.g. TwiML, or 200). The answer
 * goes out as soon as the events are committed, a few milliseconds: a crash before that leaves
 * the provider's retry to deliver again, which ingest recognises.
 */
export function webhookRouter(deps: {
  host: ChannelHost;
  inboxes: InboxRepository;
  inbound: InboundProcessor;
  failed: FailedIngestRepository;
  publicUrl: string;
  logger: Logger;
}): Router {
  const router = Router();
  const refusedFrom = new Set<string>();
  // The env inbox of each kind, by id: looked up once, not once per webhook call (a busy bot
  // posts hundreds a second). Forgotten whenever an inbox changes.
  const envInboxes = new Map<string, string | null>();
  deps.host.onChange(() => envInboxes.clear());
  router.use(express.raw({ type: () => true, limit: MAX_BODY }));

  const handle = async (req: Request, res: Response) => {
    const provider = String(req.params['provider']);
    const segments = [req.params['a'], req.params['b']].filter(
      (s): s is string => typeof s === 'string',
    );
    const inboxId = segments[0] && UUID.test(segments[0]) ? segments.shift() : undefined;
    const subPath = segments.join('/');
    const live = await findInbox(deps, provider, subPath, inboxId, envInboxes);
    if (!live?.instance.parse)
      throw new AppError(404, 'not_found', `no ${provider} inbox answers this webhook`);
    const request = toWebhookRequest(req, subPath, deps.publicUrl);
    const verified = live.instance.verify?.(request) ?? { ok: true };
    if (!verified.ok) {
      // Logged once per source address and reason: a scanner must not flood the log.
      const key = `${req.ip}|${verified.reason}`;
      if (!refusedFrom.has(key) && refusedFrom.size < 10_000) {
        refusedFrom.add(key);
        deps.logger.warn(
          { inboxId: live.inbox.id, from: req.ip, reason: verified.reason },
          'webhook refused',
        );
      }
      throw new AppError(403, 'forbidden', `webhook refused: ${verified.reason}`);
    }
    let events: ParsedEvent[];
    try {
      if (request.bodyError) throw new ChannelParseError(request.bodyError);
      events = await live.instance.parse(request);
    } catch (err) {
      // The provider would send it again and again: keep it for an admin and say we have it.
      const error =
        err instanceof ChannelParseError ? err.message : `parser failed: ${String(err)}`;
      const failedIngestId = await deps.failed.record({
        inboxId: live.inbox.id,
        source: 'webhook',
        payload: request.rawBody,
        meta: {
          kind: 'webhook',
          subPath: request.subPath,
          url: request.url,
          contentType: request.headers['content-type'] ?? '',
          query: request.query,
        },
        error,
      });
      deps.logger.warn(
        { inboxId: live.inbox.id, failedIngestId, error },
        'webhook payload unreadable; kept',
      );
      events = [];
    }
    await deps.inbound.process(live, events, 'webhook');
    const answer = (await live.instance.respond?.(request, events)) ?? {
      status: 200,
      contentType: 'application/json',
      body: '{"ok":true}',
    };
    res.status(answer.status);
    if (answer.contentType) res.type(answer.contentType);
    res.send(answer.body ?? '');
  };

  router.post('/:provider', handle);
  router.post('/:provider/:a', handle);
  router.post('/:provider/:a/:b', handle);
  return router;
}

async function findInbox(
  deps: { host: ChannelHost; inboxes: InboxRepository },
  provider: string,
  subPath: string,
  inboxId: string | undefined,
  envInboxes: Map<string, string | null>,
): Promise<LiveInbox | undefined> {
  const kinds = deps.host
    .allDefinitions()
    .filter(
      (d) =>
        d.webhook?.provider === provider &&
        (inboxId !== undefined || d.webhook.subPaths.includes(subPath)),
    );
  if (inboxId) {
    const live = await deps.host.get(inboxId);
    return live && kinds.some((k) => k.kind === live.inbox.channel) ? live : undefined;
  }
  for (const definition of kinds) {
    let id = envInboxes.get(definition.kind);
    if (id === undefined) {
      id = (await deps.inboxes.envInbox(definition.kind))?.id ?? null;
      envInboxes.set(definition.kind, id);
    }
    if (id) return deps.host.get(id);
  }
  return undefined;
}

function toWebhookRequest(req: Request, subPath: string, publicUrl: string) {
  return webhookRequest({
    method: req.method,
    subPath,
    url: `${publicUrl}${req.originalUrl}`,
    headers: req.headers,
    query: req.query,
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  });
}
