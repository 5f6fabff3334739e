import { describe, expect, it } from 'vitest';
import { rowSignature } from './messageList';
import type { ChatMessage } from './store';

const base: ChatMessage = {
  id: 'm1',
  text: 'Hello',
  direction: 'in',
  createdAt: '2024-01-01T12:00:00.000Z',
  state: 'sent',
  local: false,
};

describe('rowSignature', () => {
  it('is the same for an unchanged message, so its row is left alone', () => {
    expect(rowSignature({ ...base })).toBe(rowSignature(base));
  });

  it.each<[string, Partial<ChatMessage>]>([
    ['id', { id: 'm2' }],
    ['state', { state: 'failed' }],
    ['time', { createdAt: '2024-01-01T12:01:00.000Z' }],
    ['text', { text: 'Hello!' }],
    ['error code', { error: { code: 'timeout' } }],
    ['error message', { error: { message: 'Rate limited' } }],
  ])('changes with the %s', (_, change) => {
    expect(rowSignature({ ...base, ...change })).not.toBe(rowSignature(base));
  });
});
