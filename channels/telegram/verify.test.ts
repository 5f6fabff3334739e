import { describe, expect, it } from 'vitest';
import { SECRET_HEADER, verifyTelegramWebhook } from './verify';

const request = (headers: Record<string, string | undefined>, method = 'POST') => ({
  method,
  headers,
});

describe('verifyTelegramWebhook', () => {
  it.each([
    ['the right secret', { [SECRET_HEADER]: 's3cret-Token_1' }, 's3cret-Token_1', true],
    ['a wrong secret', { [SECRET_HEADER]: 's3cret-Token_2' }, 's3cret-Token_1', false],
    ['a secret of another length', { [SECRET_HEADER]: 's3' }, 's3cret-Token_1', false],
    ['no header', {}, 's3cret-Token_1', false],
    ['an empty header', { [SECRET_HEADER]: '' }, 's3cret-Token_1', false],
    ['any header on a polling inbox', { [SECRET_HEADER]: 'x' }, undefined, false],
  ])('%s', (_name, headers, secret, ok) => {
    expect(verifyTelegramWebhook(request(headers), secret).ok).toBe(ok);
  });

  it('says why it refused, without echoing the secret', () => {
    const result = verifyTelegramWebhook(request({ [SECRET_HEADER]: 'guess' }), 'real-secret');
    expect(result).toEqual({ ok: false, reason: 'wrong secret token' });
  });

  it('refuses other methods', () => {
    expect(verifyTelegramWebhook(request({ [SECRET_HEADER]: 'a' }, 'GET'), 'a').ok).toBe(false);
  });
});
