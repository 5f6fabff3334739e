import { describe, expect, it } from 'vitest';
import type { Contact, ConversationWithContact } from '../api/types';
import { conversation, message } from './fixtures';
import { mergeMessage, prependEarlier, toSummary } from './thread';

const at = (minute: number) => `2024-03-20T11:${String(minute).padStart(2, '0')}:00.000Z`;
const ids = (list: { id: string }[]) => list.map((m) => m.id);

describe('mergeMessage', () => {
  it('appends a new message', () => {
    const list = [message('a', 'c1', { createdAt: at(1) })];
    expect(ids(mergeMessage(list, message('b', 'c1', { createdAt: at(2) })))).toEqual(['a', 'b']);
  });

  it('keeps time order when an event overtakes the response that created it', () => {
    const list = [
      message('a', 'c1', { createdAt: at(1) }),
      message('c', 'c1', { createdAt: at(3) }),
    ];
    expect(ids(mergeMessage(list, message('b', 'c1', { createdAt: at(2) })))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('updates a known message in place instead of adding it twice', () => {
    const list = [
      message('a', 'c1', { createdAt: at(1), status: 'queued' }),
      message('b', 'c1', { createdAt: at(2) }),
    ];
    const next = mergeMessage(list, message('a', 'c1', { createdAt: at(1), status: 'delivered' }));
    expect(ids(next)).toEqual(['a', 'b']);
    expect(next[0]?.status).toBe('delivered');
    expect(list[0]?.status).toBe('queued');
  });
});

describe('prependEarlier', () => {
  it('puts earlier messages first and skips those already shown', () => {
    const list = [message('c', 'c1'), message('d', 'c1')];
    const earlier = [message('a', 'c1'), message('b', 'c1'), message('c', 'c1')];
    expect(ids(prependEarlier(list, earlier))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('leaves the thread as it was when the page holds nothing new', () => {
    const list = [message('a', 'c1')];
    expect(ids(prependEarlier(list, [message('a', 'c1')]))).toEqual(['a']);
    expect(ids(prependEarlier(list, []))).toEqual(['a']);
  });
});

describe('toSummary', () => {
  it('keeps only the contact id and name', () => {
    const contact: Contact = {
      id: 'contact-1',
      name: 'Sara',
      language: 'fa',
      preferredChannel: 'sms',
      birthday: null,
      tier: 'gold',
      lifetimeValue: null,
      clv: null,
      notes: 'Prefers SMS',
      customAttributes: { city: 'Shiraz' },
      identities: [{ kind: 'phone', value: '+989120000000', state: 'ok', stateReason: null }],
      lastSeenAt: null,
      createdAt: '2024-03-20T09:00:00.000Z',
      updatedAt: '2024-03-20T09:00:00.000Z',
    };
    const open: ConversationWithContact = { ...conversation('c1'), contact };
    const summary = toSummary(open);
    expect(summary.contact).toEqual({ id: 'contact-1', name: 'Sara' });
    expect(summary.id).toBe('c1');
  });
});
