import { createHmac, timingSafeEqual } from 'node:crypto';

/** Four hours: as long as Twilio keeps an outbound message queued (its default validity). */
export const PUBLIC_MEDIA_TTL_MS = 4 * 60 * 60 * 1000;

/**
 * Signed, expiring public addresses of stored files, for providers that fetch media themselves
 * without a login: MMS sent through Twilio, a voice prompt played with `<Play>`. The link is
 * `GET /media/<id>?exp=<unix ms>&sig=<HMAC-SHA256(id.exp)>`; the key is derived from the server's
 * secret key (never its own variable), so every instance sharing SECRET_KEY accepts every link.
 */
export class PublicMediaLinks {
  constructor(
    private readonly key: Buffer,
    private readonly publicUrl: string,
  ) {}

  /** The key for these links, from the key that seals credentials. */
  static deriveKey(secretKey: string): Buffer {
    return createHmac('sha256', secretKey).update('switchboard/public-media-links/v1').digest();
  }

  urlFor(attachmentId: string, ttlMs = PUBLIC_MEDIA_TTL_MS, now = Date.now()): string {
    const exp = now + ttlMs;
    return `${this.publicUrl}/media/${attachmentId}?exp=${exp}&sig=${this.sign(attachmentId, exp)}`;
  }

  /** True when the signature is ours for this id and expiry, and the link has not expired. */
  verify(attachmentId: string, exp: string, sig: string, now = Date.now()): boolean {
    if (!/^\d{1,16}$/.test(exp) || Number(exp) < now) return false;
    const expected = Buffer.from(this.sign(attachmentId, Number(exp)));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private sign(attachmentId: string, exp: number): string {
    return createHmac('sha256', this.key).update(`${attachmentId}.${exp}`).digest('base64url');
  }
}
