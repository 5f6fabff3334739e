import { describe, expect, it } from 'vitest';
import { ackId, readSession, readTyping, retryDelay } from './protocol';

describe('readSession', () => {
  it.each([
    [
      { visitorToken: 'tok', conversationId: 'c1' },
      { visitorToken: 'tok', conversationId: 'c1' },
    ],
    [
      { visitorToken: 'tok', conversationId: 42 },
      { visitorToken: 'tok', conversationId: '42' },
    ],
    [{ conversationId: 'c1' }, { visitorToken: null, conversationId: 'c1' }],
    [
      { visitorToken: '', conversationId: null },
      { visitorToken: null, conversationId: null },
    ],
    [
      { visitorToken: 7, conversationId: {} },
      { visitorToken: null, conversationId: null },
    ],
    [{}, { visitorToken: null, conversationId: null }],
  ])('reads %j', (payload, expected) => {
    expect(readSession(payload)).toEqual(expected);
  });

  it.each([null, undefined, 'tok', 3])('ignores %j', (payload) => {
    expect(readSession(payload)).toBeNull();
  });
});

describe('readTyping', () => {
  it.each([
    [{ typing: true }, true],
    [{ typing: 1 }, true],
    [{ typing: false }, false],
    [{ typing: null }, false],
    [{}, false],
    [null, false],
    ['typing', false],
  ])('%j means %s', (payload, expected) => {
    expect(readTyping(payload)).toBe(expected);
  });
});

describe('ackId', () => {
  it.each([
    [{ id: 'm1' }, 'm1'],
    [{ id: 12 }, '12'],
    [{ id: null }, null],
    [{ error: { code: 'too_long' } }, null],
    [null, null],
    ['m1', null],
  ])('%j gives %s', (ack, expected) => {
    expect(ackId(ack)).toBe(expected);
  });
});

describe('retryDelay', () => {
  it('doubles from 5 s and stops at 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(retryDelay)).toEqual([
      5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000,
    ]);
  });
});
