import { describe, it, expect } from 'vitest';
import { isServerMessage, MessageStore, type ServerMessage } from './store';

const at = (minute: number): string => new Date(Date.UTC(2024, 0, 1, 12, minute)).toISOString();
const msg = (id: string, minute: number, direction: 'in' | 'out' = 'out', text = id) =>
  ({ id, text, direction, createdAt: at(minute) }) satisfies ServerMessage;

describe('MessageStore', () => {
  it('orders by createdAt and de-duplicates replayed history by id', () => {
    const store = new MessageStore();
    store.receive(msg('b', 2));
    store.receive(msg('a', 1));
    store.receive(msg('c', 3));
    // A reconnect replays the same history again.
    store.receive(msg('a', 1));
    store.receive(msg('b', 2));
    expect(store.list().map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(store.size).toBe(3);
  });

  it('replaces a pending message with the acknowledged id, then ignores the echo', () => {
    const store = new MessageStore(() => Date.parse(at(5)));
    const pending = store.addPending('hello');
    expect(pending.state).toBe('pending');
    expect(store.list()).toHaveLength(1);

    const acked = store.ack(pending.id, 'srv-1');
    expect(acked?.id).toBe('srv-1');
    expect(acked?.state).toBe('sent');
    expect(store.get(pending.id)).toBeUndefined();

    store.receive(msg('srv-1', 5, 'in', 'hello'));
    expect(store.list().map((m) => m.id)).toEqual(['srv-1']);
  });

  it('does not duplicate when the echo arrives before the acknowledgement', () => {
    const store = new MessageStore(() => Date.parse(at(5)));
    const pending = store.addPending('hi there');
    const { replaced } = store.receive(msg('srv-9', 5, 'in', 'hi there'));
    expect(replaced).toBe(pending.id);
    store.ack(pending.id, 'srv-9');
    expect(store.list().map((m) => m.id)).toEqual(['srv-9']);
  });

  it('does not let old history with the same text claim a new pending message', () => {
    const store = new MessageStore(() => Date.parse(at(30)));
    const pending = store.addPending('hi');
    const { replaced } = store.receive(msg('old', 1, 'in', 'hi'));
    expect(replaced).toBeNull();
    expect(store.get(pending.id)?.state).toBe('pending');
  });

  it('keeps pending messages after confirmed ones', () => {
    // The visitor's clock runs ahead of the server here.
    const store = new MessageStore(() => Date.parse(at(50)));
    const pending = store.addPending('mine');
    store.receive(msg('x', 55));
    expect(store.list().map((m) => m.id)).toEqual(['x', pending.id]);
  });

  it('marks failures and allows a retry', () => {
    const store = new MessageStore();
    const pending = store.addPending('oops');
    store.fail(pending.id, { code: 'rate_limited', message: 'slow down' });
    expect(store.get(pending.id)?.state).toBe('failed');
    expect(store.get(pending.id)?.error?.code).toBe('rate_limited');
    expect(store.retry(pending.id)?.state).toBe('pending');
    expect(store.get(pending.id)?.error).toBeUndefined();
    expect(store.retry(pending.id)).toBeUndefined(); // only failed messages can be retried
  });

  it('forgets server messages but keeps pending ones when the conversation changes', () => {
    const store = new MessageStore();
    store.receive(msg('a', 1));
    const pending = store.addPending('still sending');
    store.clearConfirmed();
    expect(store.list().map((m) => m.id)).toEqual([pending.id]);
  });

  it('counts business replies newer than the last seen time', () => {
    const store = new MessageStore();
    store.receive(msg('a', 1, 'out'));
    store.receive(msg('b', 2, 'in'));
    store.receive(msg('c', 3, 'out'));
    expect(store.unreadSince(null)).toBe(2);
    expect(store.unreadSince(at(1))).toBe(1);
    expect(store.latestCreatedAt()).toBe(at(3));
    expect(store.unreadSince(store.latestCreatedAt())).toBe(0);
  });

  it('accepts numeric ids from the server as strings', () => {
    const store = new MessageStore();
    const raw = { id: 42, text: 't', direction: 'out', createdAt: at(1) };
    expect(isServerMessage(raw)).toBe(true);
    store.receive(raw as unknown as ServerMessage);
    expect(store.get('42')?.id).toBe('42');
  });

  it('rejects malformed payloads', () => {
    expect(isServerMessage(null)).toBe(false);
    expect(isServerMessage({ id: 'a', text: 't', direction: 'sideways', createdAt: at(1) })).toBe(
      false,
    );
    expect(isServerMessage({ id: 'a', direction: 'in', createdAt: at(1) })).toBe(false);
  });
});
