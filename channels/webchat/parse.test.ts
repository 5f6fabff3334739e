import { describe, expect, it } from 'vitest';
import { parseVisitorContact, parseVisitorMessage } from './parse';

const visitor = '00000000-0000-4000-8000-000000000001';

describe('parseVisitorMessage', () => {
  it('maps text to the inbound shape with the visitor as sender', () => {
    const r = parseVisitorMessage(visitor, { text: '  سلام، سفارشم کجاست؟ ' });
    expect(r.ok && r.value).toMatchObject({
      sender: { kind: 'webchat', value: visitor },
      text: 'سلام، سفارشم کجاست؟',
    });
  });

  it('derives a stable provider id from the client id, so resends are idempotent', () => {
    const a = parseVisitorMessage(visitor, { text: 'hi', clientId: 'c1' });
    const b = parseVisitorMessage(visitor, { text: 'hi', clientId: 'c1' });
    expect(a.ok && b.ok && a.value.providerMessageId === b.value.providerMessageId).toBe(true);
  });

  it.each([
    ['no text', {}],
    ['empty text', { text: '   ' }],
    ['text not a string', { text: 5 }],
    ['an unknown field', { text: 'hi', admin: true }],
    ['too long', { text: 'x'.repeat(4001) }],
    ['not an object', 'hello'],
  ])('rejects %s with a message', (_name, payload) => {
    const r = parseVisitorMessage(visitor, payload);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message.length).toBeGreaterThan(0);
  });
});

describe('parseVisitorContact', () => {
  it('accepts name and email', () => {
    expect(parseVisitorContact({ name: 'Анна', email: 'anna@example.com' })).toEqual({
      ok: true,
      value: { name: 'Анна', email: 'anna@example.com' },
    });
  });
  it('rejects a malformed email', () => {
    expect(parseVisitorContact({ email: 'not-an-email' }).ok).toBe(false);
  });
});
