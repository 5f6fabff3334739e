import { describe, expect, it } from 'vitest';
import { chooseConversation, DEFAULT_REOPEN_HOURS, reopenWindowHours } from './ingest.service';

const now = new Date('2026-11-23T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);

describe('chooseConversation', () => {
  it.each([
    ['no conversation yet', undefined, 'create'],
    ['an open one', { status: 'open' as const, resolvedAt: null }, 'use'],
    ['a snoozed one', { status: 'snoozed' as const, resolvedAt: null }, 'use'],
    ['a bot one', { status: 'bot' as const, resolvedAt: null }, 'use'],
    ['resolved an hour ago', { status: 'resolved' as const, resolvedAt: hoursAgo(1) }, 'reopen'],
    [
      'resolved just inside the window',
      { status: 'resolved' as const, resolvedAt: hoursAgo(168) },
      'reopen',
    ],
    [
      'resolved past the window',
      { status: 'resolved' as const, resolvedAt: hoursAgo(169) },
      'create',
    ],
  ])('%s → %s', (_name, latest, expected) => {
    expect(chooseConversation(latest, now, DEFAULT_REOPEN_HOURS)).toBe(expected);
  });

  it('never reopens with a zero window', () => {
    expect(chooseConversation({ status: 'resolved', resolvedAt: hoursAgo(0.01) }, now, 0)).toBe(
      'create',
    );
  });
});

describe('reopenWindowHours', () => {
  it('reads the inbox setting and falls back on nonsense', () => {
    expect(reopenWindowHours({ id: 'x', channel: 'sms', settings: { reopenWindowHours: 2 } })).toBe(
      2,
    );
    expect(
      reopenWindowHours({ id: 'x', channel: 'sms', settings: { reopenWindowHours: 'soon' } }),
    ).toBe(DEFAULT_REOPEN_HOURS);
    expect(reopenWindowHours({ id: 'x', channel: 'sms', settings: {} })).toBe(DEFAULT_REOPEN_HOURS);
  });
});
