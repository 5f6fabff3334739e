import { describe, it, expect } from 'vitest';
import { translator } from './i18n';
import {
  ackError,
  checkContact,
  checkMessage,
  errorText,
  isEmail,
  MAX_MESSAGE_LENGTH,
  serverBase,
} from './util';

describe('serverBase', () => {
  it('uses the origin of the script src', () => {
    expect(serverBase('https://chat.example.com/widget.js', 'https://shop.test')).toBe(
      'https://chat.example.com',
    );
    expect(serverBase('http://127.0.0.1:3000/static/widget.js?v=2', 'https://x.test')).toBe(
      'http://127.0.0.1:3000',
    );
  });

  it('resolves a relative src against the page', () => {
    expect(serverBase('/widget.js', 'http://localhost:3000')).toBe('http://localhost:3000');
  });

  it('falls back to the page origin', () => {
    expect(serverBase(null, 'http://localhost:3000')).toBe('http://localhost:3000');
    expect(serverBase('', 'http://localhost:3000/')).toBe('http://localhost:3000');
    expect(serverBase('data:text/javascript,1', 'http://localhost:3000')).toBe(
      'http://localhost:3000',
    );
  });
});

describe('checkMessage', () => {
  it('trims and refuses empty text', () => {
    expect(checkMessage('  hi \n')).toEqual({ ok: true, text: 'hi' });
    expect(checkMessage(' \n\t ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('allows up to 4000 characters, counting emoji as one', () => {
    expect(checkMessage('a'.repeat(MAX_MESSAGE_LENGTH)).ok).toBe(true);
    expect(checkMessage('a'.repeat(MAX_MESSAGE_LENGTH + 1))).toEqual({
      ok: false,
      reason: 'too_long',
    });
    expect(checkMessage('😀'.repeat(MAX_MESSAGE_LENGTH)).ok).toBe(true);
  });
});

describe('contact validation', () => {
  it('accepts ordinary addresses', () => {
    expect(isEmail('ana@example.com')).toBe(true);
    expect(isEmail(' first.last+tag@mail.example.co.uk ')).toBe(true);
  });

  it('rejects malformed addresses', () => {
    for (const bad of [
      '',
      'ana',
      'ana@',
      '@example.com',
      'ana@example',
      'a b@example.com',
      'a@b.c',
    ]) {
      expect(isEmail(bad), bad).toBe(false);
    }
  });

  it('trims and omits an empty name', () => {
    expect(checkContact('  Sara ', ' sara@example.com ')).toEqual({
      ok: true,
      contact: { name: 'Sara', email: 'sara@example.com' },
    });
    expect(checkContact('', 'sara@example.com')).toEqual({
      ok: true,
      contact: { email: 'sara@example.com' },
    });
    expect(checkContact('Sara', 'nope')).toEqual({ ok: false, field: 'email' });
  });
});

describe('acknowledgement errors', () => {
  const t = translator('en');

  it('reads {error:{code,message}} and ignores success', () => {
    expect(ackError({ id: 'm1' })).toBeNull();
    expect(ackError({ ok: true })).toBeNull();
    expect(ackError(undefined)).toBeNull();
    expect(ackError({ error: { code: 'x', message: 'Nope' } })).toEqual({
      code: 'x',
      message: 'Nope',
    });
    expect(ackError({ error: 'plain' })).toEqual({ message: 'plain' });
  });

  it('translates known codes and falls back to the server text', () => {
    expect(errorText({ code: 'timeout' }, t)).toBe(t('errorTimeout'));
    expect(errorText({ code: 'rate_limited', message: 'x' }, t)).toBe(t('errorRateLimited'));
    expect(errorText({ code: 'other', message: 'Inbox closed' }, t)).toBe('Inbox closed');
    expect(errorText({}, t)).toBe(t('errorGeneric'));
    expect(errorText({ code: 'too_long' }, t)).toMatch(/4,?000/);
  });
});
