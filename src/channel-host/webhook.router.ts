import express, { Router, type Request, type Response } from 'express';
import { ChannelParseError, type ChannelKind, type WebhookRequest } from '../../channels/types';
import type { InboxRepository } from '../inboxes/inbox.repository';
import type { Logger } from '../logger';
import { AppError } from '../errors';
import type { ChannelHost, LiveInbox } from './channel-host';
import type { InboundProcessor } from './inbound';

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
  publicUrl: string;
  logger: Logger;
}): Router {
  const router = Router();
  const refusedFrom = new Set<string>();
  // The inbox made from environment variables, per kind: made at start-up and never replaced,
  // so it is looked up once instead of once per webhook (a query saved on every request).
  const envInboxIds = new Map<ChannelKind, string>();
  router.use(express.raw({ type: () => true, limit: MAX_BODY }));

  const handle = async (req: Request, res: Response) => {
    const provider = String(req.params['provider']);
    const segments = [req.params['a'], req.params['b']].filter(
      (s): s is string => typeof s === 'string',
    );
    const inboxId = segments[0] && UUID.test(segments[0]) ? segments.shift() : undefined;
    const subPath = segments.join('/');
    const live = await findInbox(deps, provider, subPath, inboxId, envInboxIds);
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
    let events;
    try {
      events = await live.instance.parse(request);
    } catch (err) {
      if (err instanceof ChannelParseError) throw new AppError(400, 'bad_payload', err.message);
      throw err;
    }
    await deps.inbound.process(live, events);
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
  envInboxIds: Map<ChannelKind, string>,
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
    let id = envInboxIds.get(definition.kind);
    if (!id) {
      id = (await deps.inboxes.envInbox(definition.kind))?.id;
      if (id) envInboxIds.set(definition.kind, id);
    }
    if (id) return deps.host.get(id);
  }
  return undefined;
}

function toWebhookRequest(req: Request, subPath: string, publicUrl: string): WebhookRequest {
  const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  let body: unknown = undefined;
  const text = rawBody.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    body = Object.fromEntries(new URLSearchParams(text));
  } else if (text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      throw new AppError(400, 'bad_json', 'the body is not valid JSON');
    }
  }
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers))
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') query[k] = v;
  return {
    method: req.method,
    subPath,
    url: `${publicUrl}${req.originalUrl}`,
    headers,
    query,
    rawBody,
    body,
  };
}
