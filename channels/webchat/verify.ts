import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Visitor tokens: `v1.<visitorId>.<hmac>`. The widget keeps one in localStorage; whoever holds
 * it is that visitor. The server keeps no session table: the signature is the proof.
 */
const PREFIX = 'v1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sign(secret: string, visitorId: string): string {
  return createHmac('sha256', secret).update(`${PREFIX}.${visitorId}`).digest('base64url');
}

export function issueVisitorToken(
  secret: string,
  visitorId: string = randomUUID(),
): { token: string; visitorId: string } {
  return { token: `${PREFIX}.${visitorId}.${sign(secret, visitorId)}`, visitorId };
}

/** The visitor id the token proves, or null for anything forged, truncated or malformed. */
export function verifyVisitorToken(secret: string, token: unknown): string | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const [, visitorId, signature] = parts as [string, string, string];
  if (!UUID.test(visitorId)) return null;
  const expected = Buffer.from(sign(secret, visitorId));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return visitorId;
}
