import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './signature';

const at = new Date('2026-11-30T10:00:00Z');
const body = JSON.stringify({ event: 'complaint.created', data: { reference: 'C-26-0001' } });

describe('webhook signatures', () => {
  it('is an HMAC-SHA256 of the time and the body, as a receiver recomputes it', () => {
    const header = signPayload('whsec_test', body, at);
    const t = Math.floor(at.getTime() / 1000);
    const mac = createHmac('sha256', 'whsec_test').update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${mac}`);
    expect(verifySignature('whsec_test', body, header, at)).toBe(true);
  });

  it('fails for another secret, a changed body, an old time or a malformed header', () => {
    const header = signPayload('whsec_test', body, at);
    expect(verifySignature('whsec_other', body, header, at)).toBe(false);
    expect(verifySignature('whsec_test', body.replace('0001', '0002'), header, at)).toBe(false);
    expect(verifySignature('whsec_test', body, header, new Date(at.getTime() + 10 * 60_000))).toBe(
      false,
    );
    expect(verifySignature('whsec_test', body, 'v1=abc', at)).toBe(false);
    expect(verifySignature('whsec_test', body, '', at)).toBe(false);
  });
});
