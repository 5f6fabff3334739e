import { describe, expect, it } from 'vitest';
import { issueVisitorToken, verifyVisitorToken } from './verify';

const secret = 'a'.repeat(32);

describe('visitor tokens', () => {
  it('round-trips the visitor id', () => {
    const { token, visitorId } = issueVisitorToken(secret);
    expect(verifyVisitorToken(secret, token)).toBe(visitorId);
  });

  it.each([
    ['another secret', (t: string) => t, 'b'.repeat(32)],
    ['a changed visitor id', (t: string) => t.replace('v1.00000000', 'v1.10000000'), secret],
    ['a truncated signature', (t: string) => t.slice(0, -2), secret],
    ['a missing part', (t: string) => t.split('.').slice(0, 2).join('.'), secret],
    ['another version', (t: string) => t.replace(/^v1/, 'v2'), secret],
  ])('rejects %s', (_name, mangle, key) => {
    const { token } = issueVisitorToken(secret, '00000000-0000-4000-8000-000000000001');
    expect(verifyVisitorToken(key, mangle(token))).toBeNull();
  });

  it.each([undefined, null, 42, {}, '', 'x'.repeat(500)])('rejects %j', (value) => {
    expect(verifyVisitorToken(secret, value)).toBeNull();
  });
});
