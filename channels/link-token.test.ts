import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signLinkToken, verifyLinkToken } from './link-token';

describe('link tokens', () => {
  const secret = 'a-server-secret';

  it('round-trips a token id through a payload Telegram accepts as a start parameter', () => {
    const id = randomUUID();
    const payload = signLinkToken(secret, id);
    expect(payload).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(verifyLinkToken(secret, payload)).toBe(id);
  });

  it('refuses a payload signed with another secret, altered, or not ours at all', () => {
    const payload = signLinkToken(secret, randomUUID());
    expect(verifyLinkToken('another-secret', payload)).toBeUndefined();
    const flipped = `${payload.slice(0, 30)}${payload[30] === 'A' ? 'B' : 'A'}${payload.slice(31)}`;
    expect(verifyLinkToken(secret, flipped)).toBeUndefined();
    expect(verifyLinkToken(secret, 'order_4512')).toBeUndefined();
    expect(verifyLinkToken(secret, '')).toBeUndefined();
  });
});
