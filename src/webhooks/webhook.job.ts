import { eq, sql } from 'drizzle-orm';
import type { UnitOfWork } from '../db/unit-of-work';
import { webhookDeliveries } from '../db/schema';
import type { JobHandler } from '../jobs/worker';
import { retryDelayMs } from '../jobs/backoff';
import type { Logger } from '../logger';
import { safeRequest, type Resolver } from '../net/safe-http';
import { SIGNATURE_HEADER, signPayload } from './signature';
import type { WebhookService } from './webhook.service';

const TIMEOUT_MS = 10_000;
const KEPT_RESPONSE_BYTES = 2048;

/**
 * Sends one delivery: a JSON POST signed with the subscription's secret, to the address that
 * was checked (no redirects, no private addresses unless allowed). A 2xx is delivered; anything
 * else is tried again with backoff until the attempts run out; each attempt's answer is kept.
 */
export function webhookDeliveryHandler(
  uow: UnitOfWork,
  webhooks: WebhookService,
  logger: Logger,
  opts: { resolve?: Resolver; now?: () => Date } = {},
): JobHandler {
  const now = opts.now ?? (() => new Date());
  return async (ctx) => {
    const deliveryId = String(ctx.job.payload['deliveryId']);
    const found = await webhooks.forDelivery(deliveryId);
    if (!found || !found.sub.enabled) {
      await uow.run((tx) => ctx.complete(tx));
      return;
    }
    const { delivery, sub, secret } = found;
    const body = JSON.stringify({
      id: delivery.id,
      event: delivery.event,
      createdAt: delivery.createdAt.toISOString(),
      data: delivery.payload,
    });
    let status: number | null = null;
    let response: string | null = null;
    let error: string | null = null;
    try {
      const res = await safeRequest({
        url: sub.url,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          'x-switchboard-event': delivery.event,
          'x-switchboard-delivery': delivery.id,
          [SIGNATURE_HEADER.toLowerCase()]: signPayload(secret, body, now()),
        },
        body,
        allowPrivate: sub.allowPrivate,
        timeoutMs: TIMEOUT_MS,
        maxResponseBytes: KEPT_RESPONSE_BYTES,
        ...(opts.resolve ? { resolve: opts.resolve } : {}),
      });
      status = res.status;
      response = res.body;
      if (res.status < 200 || res.status >= 300) error = `the receiver answered ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const last = ctx.job.attempts >= ctx.job.maxAttempts;
    const state = !error ? 'delivered' : last ? 'failed' : 'pending';
    await uow.run(async (tx) => {
      await tx
        .update(webhookDeliveries)
        .set({
          state,
          attempts: sql`${webhookDeliveries.attempts} + 1`,
          lastStatus: status,
          lastResponse: response,
          lastError: error,
          updatedAt: new Date(),
        })
        .where(eq(webhookDeliveries.id, delivery.id));
      if (!error) await ctx.complete(tx);
      else if (last) await ctx.giveUp(tx, error);
      else await ctx.retry(tx, new Date(Date.now() + retryDelayMs(ctx.job.attempts)), error);
    });
    if (error)
      logger.warn(
        { webhook: sub.id, delivery: delivery.id, attempt: ctx.job.attempts, reason: error },
        last ? 'webhook delivery failed for good' : 'webhook delivery will be retried',
      );
  };
}
