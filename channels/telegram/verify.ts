import { createHash, timingSafeEqual } from 'node:crypto';
import type { VerifyResult, WebhookRequest } from '../types';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * A webhook call is Telegram's when it carries the secret the inbox registered with setWebhook,
 * compared in constant time (both sides hashed to one length first). An inbox without a secret
 * polls and takes no webhook at all: anyone could post to it otherwise.
 */
export function verifyTelegramWebhook(
  req: Pick<WebhookRequest, 'headers' | 'method'>,
  secret: string | undefined,
): VerifyResult {
  if (!secret) return { ok: false, reason: 'this Telegram inbox polls; it takes no webhooks' };
  if (req.method !== 'POST') return { ok: false, reason: 'not a POST' };
  const given = req.headers[SECRET_HEADER];
  if (!given) return { ok: false, reason: 'no secret token header' };
  return timingSafeEqual(digest(given), digest(secret))
    ? { ok: true }
    : { ok: false, reason: 'wrong secret token' };
}
