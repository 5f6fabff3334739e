import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed single-use link tokens, e.g. the payload of a Telegram `/start` deep link an agent
 * makes for a contact. The payload is the token's id (a UUID, stored in `link_tokens` with the
 * contact) and a truncated HMAC of it: 44 characters of `[A-Za-z0-9_-]`, within Telegram's
 * 64-character limit for a start parameter. The signature lets a channel tell our links from
 * other deep-link payloads without touching the database; the table makes each link single-use.
 */

const ID_BYTES = 16;
const MAC_BYTES = 16;
const ENCODED = Math.ceil((ID_BYTES * 4) / 3); // 22 base64url characters each
const PAYLOAD = /^[A-Za-z0-9_-]{44}$/;

function mac(secret: string, id: Buffer): Buffer {
  return createHmac('sha256', secret)
    .update('link-token:')
    .update(id)
    .digest()
    .subarray(0, MAC_BYTES);
}

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error('not a UUID');
  return Buffer.from(hex, 'hex');
}

function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The payload for the token `id` (a UUID). */
export function signLinkToken(secret: string, id: string): string {
  const bytes = uuidBytes(id);
  return `${bytes.toString('base64url')}${mac(secret, bytes).toString('base64url')}`;
}

/** The token id inside a payload we signed, or undefined (compared in constant time). */
export function verifyLinkToken(secret: string, payload: string): string | undefined {
  if (!PAYLOAD.test(payload)) return undefined;
  const id = Buffer.from(payload.slice(0, ENCODED), 'base64url');
  const given = Buffer.from(payload.slice(ENCODED), 'base64url');
  if (id.length !== ID_BYTES || given.length !== MAC_BYTES) return undefined;
  return timingSafeEqual(given, mac(secret, id)) ? bytesToUuid(id) : undefined;
}
