import { describe, expect, it } from 'vitest';
import { conversation, message } from './fixtures';
import { initialListState, listReducer } from './listState';
import type { ListState } from './listState';

const at = (minute: number) => `2024-03-20T10:${String(minute).padStart(2, '0')}:00.000Z`;

function loaded(ids: [string, number][], nextCursor: string | null = null): ListState {
  const items = ids.map(([id, minute]) => conversation(id, { lastMessageAt: at(minute) }));
  const reset = listReducer(initialListState, { type: 'reset', key: 'k' });
  return listReducer(reset, { type: 'page', key: 'k', items, nextCursor, append: false });
}

const order = (s: ListState) => s.items.map((c) => c.id);

describe('listReducer', () => {
  it('loads the first page and appends later pages without duplicates', () => {
    const first = loaded(
      [
        ['a', 50],
        ['b', 40],
      ],
      'cursor-1',
    );
    expect(first.loaded).toBe(true);
    expect(first.nextCursor).toBe('cursor-1');
    const next = listReducer(first, {
      type: 'page',
      key: 'k',
      items: [
        conversation('b', { lastMessageAt: at(40) }),
        conversation('c', { lastMessageAt: at(30) }),
      ],
      nextCursor: null,
      append: true,
    });
    expect(order(next)).toEqual(['a', 'b', 'c']);
    expect(next.nextCursor).toBeNull();
  });

  it('ignores a page that belongs to a filter no longer shown', () => {
    const state = loaded([['a', 50]]);
    const stale = listReducer(state, {
      type: 'page',
      key: 'old',
      items: [conversation('x')],
      nextCursor: null,
      append: false,
    });
    expect(stale).toBe(state);
  });

  it('moves a conversation with new activity to the top', () => {
    const state = loaded([
      ['a', 50],
      ['b', 40],
      ['c', 30],
    ]);
    const next = listReducer(state, {
      type: 'upsert',
      conversation: conversation('c', { lastMessageAt: at(55) }),
      matches: true,
    });
    expect(order(next)).toEqual(['c', 'a', 'b']);
  });

  it('inserts a new matching conversation in activity order', () => {
    const state = loaded([
      ['a', 50],
      ['b', 30],
    ]);
    const next = listReducer(state, {
      type: 'upsert',
      conversation: conversation('n', { lastMessageAt: at(40) }),
      matches: true,
    });
    expect(order(next)).toEqual(['a', 'n', 'b']);
  });

  it('leaves out an older conversation that a later page will bring', () => {
    const state = loaded(
      [
        ['a', 50],
        ['b', 30],
      ],
      'more',
    );
    const next = listReducer(state, {
      type: 'upsert',
      conversation: conversation('old', { lastMessageAt: at(5) }),
      matches: true,
    });
    expect(order(next)).toEqual(['a', 'b']);
  });

  it('removes a conversation that no longer matches (e.g. assigned away from "Mine")', () => {
    const state = loaded([
      ['a', 50],
      ['b', 40],
    ]);
    const next = listReducer(state, {
      type: 'upsert',
      conversation: conversation('a'),
      matches: false,
    });
    expect(order(next)).toEqual(['b']);
    expect(
      listReducer(next, { type: 'upsert', conversation: conversation('zz'), matches: false }),
    ).toBe(next);
  });

  it('updates preview, unread count and order on an incoming message', () => {
    const state = loaded([
      ['a', 50],
      ['b', 40],
    ]);
    const next = listReducer(state, {
      type: 'message',
      message: message('m1', 'b', { text: 'Where is my order?', createdAt: at(58) }),
      activeId: null,
    });
    expect(order(next)).toEqual(['b', 'a']);
    const b = next.items[0];
    expect(b?.lastMessagePreview).toBe('Where is my order?');
    expect(b?.unreadCount).toBe(1);
    expect(b?.waitingSince).toBe(at(58));
  });

  it('does not count unread for the open conversation, nor preview private notes', () => {
    const state = loaded([['a', 50]]);
    const read = listReducer(state, {
      type: 'message',
      message: message('m1', 'a', { createdAt: at(59) }),
      activeId: 'a',
    });
    expect(read.items[0]?.unreadCount).toBe(0);
    const note = listReducer(read, {
      type: 'message',
      message: message('m2', 'a', {
        private: true,
        direction: 'out',
        senderType: 'user',
        text: 'secret',
        createdAt: at(59),
      }),
      activeId: null,
    });
    expect(note.items[0]?.lastMessagePreview).toBe('Hi');
    expect(note.items[0]?.unreadCount).toBe(0);
  });

  it('clears waiting when an agent replies', () => {
    const state = loaded([['a', 50]]);
    const waiting = listReducer(state, {
      type: 'message',
      message: message('m1', 'a', { createdAt: at(51) }),
      activeId: null,
    });
    const replied = listReducer(waiting, {
      type: 'message',
      message: message('m2', 'a', {
        direction: 'out',
        senderType: 'user',
        text: 'On it',
        createdAt: at(52),
      }),
      activeId: null,
    });
    expect(replied.items[0]?.waitingSince).toBeNull();
    expect(replied.items[0]?.lastMessagePreview).toBe('On it');
  });

  it('ignores messages for conversations not in the list, and marks read', () => {
    const state = loaded([['a', 50]]);
    expect(
      listReducer(state, { type: 'message', message: message('m', 'zzz'), activeId: null }),
    ).toBe(state);
    const unread = listReducer(state, {
      type: 'message',
      message: message('m1', 'a', { createdAt: at(59) }),
      activeId: null,
    });
    expect(listReducer(unread, { type: 'read', id: 'a' }).items[0]?.unreadCount).toBe(0);
  });

  it('handles 10,000 rows and a live move quickly', () => {
    const ids: [string, number][] = Array.from({ length: 10_000 }, (_, i) => [
      `c${i}`,
      59 - (i % 60),
    ]);
    const state = loaded(ids);
    const started = performance.now();
    const next = listReducer(state, {
      type: 'upsert',
      conversation: conversation('c9999', { lastMessageAt: '2024-03-20T11:30:00.000Z' }),
      matches: true,
    });
    expect(performance.now() - started).toBeLessThan(100);
    expect(next.items[0]?.id).toBe('c9999');
    expect(next.items).toHaveLength(10_000);
  });

  it('records errors for the current key only', () => {
    const state = loaded([['a', 50]]);
    expect(listReducer(state, { type: 'error', key: 'other', message: 'x' })).toBe(state);
    expect(listReducer(state, { type: 'error', key: 'k', message: 'boom' }).error).toBe('boom');
  });
});

describe('listReducer with the combined message event', () => {
  it('places the conversation the message carries, with the server’s preview and unread count', () => {
    const state = loaded([
      ['a', 50],
      ['b', 40],
    ]);
    const next = listReducer(state, {
      type: 'message',
      message: message('m1', 'b', { createdAt: at(55), text: 'where is my order?' }),
      activeId: null,
      conversation: conversation('b', {
        lastMessageAt: at(55),
        lastMessagePreview: 'where is my order?',
        unreadCount: 3,
      }),
      matches: true,
    });
    expect(order(next)).toEqual(['b', 'a']);
    expect(next.items[0]).toMatchObject({
      lastMessagePreview: 'where is my order?',
      unreadCount: 3,
    });
  });

  it('adds a conversation new to this list, and keeps it unread-free while the agent has it open', () => {
    const state = loaded([['a', 50]]);
    const next = listReducer(state, {
      type: 'message',
      message: message('m1', 'n', { createdAt: at(58) }),
      activeId: 'n',
      conversation: conversation('n', { lastMessageAt: at(58), unreadCount: 1 }),
      matches: true,
    });
    expect(order(next)).toEqual(['n', 'a']);
    expect(next.items[0]!.unreadCount).toBe(0);
  });

  it('drops a row the conversation no longer belongs to (assigned to someone else by a rule)', () => {
    const state = loaded([
      ['a', 50],
      ['b', 40],
    ]);
    const next = listReducer(state, {
      type: 'message',
      message: message('m1', 'a', { createdAt: at(59) }),
      activeId: null,
      conversation: conversation('a', { lastMessageAt: at(59) }),
      matches: false,
    });
    expect(order(next)).toEqual(['b']);
  });

  it('keeps a row’s tier and segment when a live update does not carry them', () => {
    const row = conversation('c1', {
      contact: { id: 'k', name: 'A', tier: 'gold', segment: 'loyal' },
    });
    const loaded = listReducer(
      { ...initialListState, key: 'k' },
      { type: 'page', key: 'k', items: [row], nextCursor: null, append: false },
    );
    const live = conversation('c1', { contact: { id: 'k', name: 'A' }, unreadCount: 3 });
    const next = listReducer(loaded, { type: 'upsert', conversation: live, matches: true });
    expect(next.items[0]?.contact).toEqual({ id: 'k', name: 'A', tier: 'gold', segment: 'loyal' });
    expect(next.items[0]?.unreadCount).toBe(3);
  });
});
