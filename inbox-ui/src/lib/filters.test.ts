import { describe, expect, it } from 'vitest';
import { conversation } from './fixtures';
import {
  filterFromParams,
  filterKey,
  filterToParams,
  hasNarrowing,
  isViewId,
  matchesFilter,
  toQuery,
} from './filters';

describe('toQuery', () => {
  it('maps base views directly', () => {
    expect(toQuery({ view: 'mine' })).toMatchObject({ view: 'mine', limit: 50 });
    expect(toQuery({ view: 'escalated', level: 2 })).toMatchObject({ view: 'escalated', level: 2 });
  });

  it('maps a team view to "all" narrowed by teamId', () => {
    expect(toQuery({ view: 'team:t1' })).toMatchObject({ view: 'all', teamId: 't1' });
  });

  it('passes filters, trims the search and carries the cursor', () => {
    const q = toQuery(
      {
        view: 'all',
        status: 'open',
        channel: 'sms',
        priority: 'high',
        label: 'vip',
        q: '  refund ',
      },
      'cur',
      25,
    );
    expect(q).toEqual({
      view: 'all',
      teamId: undefined,
      status: 'open',
      channel: 'sms',
      priority: 'high',
      label: 'vip',
      level: undefined,
      q: 'refund',
      limit: 25,
      cursor: 'cur',
    });
    expect(toQuery({ view: 'all', q: '   ' }).q).toBeUndefined();
  });

  it('gives equal keys to equal lists', () => {
    expect(filterKey({ view: 'all', q: 'x ' })).toBe(filterKey({ view: 'all', q: 'x' }));
    expect(filterKey({ view: 'all' })).not.toBe(filterKey({ view: 'mine' }));
  });
});

describe('matchesFilter', () => {
  const me = 'u1';
  it.each([
    [
      'mine: assigned to me',
      { view: 'mine' as const },
      { assignee: { id: 'u1', name: 'Me' } },
      true,
    ],
    [
      'mine: assigned to someone else',
      { view: 'mine' as const },
      { assignee: { id: 'u2', name: 'X' } },
      false,
    ],
    ['unassigned', { view: 'unassigned' as const }, { assignee: null }, true],
    [
      'unassigned but taken',
      { view: 'unassigned' as const },
      { assignee: { id: 'u2', name: 'X' } },
      false,
    ],
    ['escalated needs level 1+', { view: 'escalated' as const }, { level: 0 }, false],
    ['escalated at level 2', { view: 'escalated' as const }, { level: 2 }, true],
    ['escalated below min level', { view: 'escalated' as const, level: 3 }, { level: 2 }, false],
    ['team match', { view: 'team:t1' as const }, { team: { id: 't1', name: 'Billing' } }, true],
    ['team mismatch', { view: 'team:t1' as const }, { team: null }, false],
    [
      'status filter',
      { view: 'all' as const, status: 'pending' as const },
      { status: 'open' as const },
      false,
    ],
    [
      'channel filter',
      { view: 'all' as const, channel: 'sms' as const },
      { channel: 'sms' as const },
      true,
    ],
    [
      'priority filter',
      { view: 'all' as const, priority: 'urgent' as const },
      { priority: 'low' as const },
      false,
    ],
    ['label filter', { view: 'all' as const, label: 'vip' }, { labels: ['vip', 'x'] }, true],
    [
      'search folds Persian',
      { view: 'all' as const, q: 'علي' },
      { contact: { id: 'c', name: 'علی رضایی' } },
      true,
    ],
    ['search misses', { view: 'all' as const, q: 'zzz' }, {}, false],
  ])('%s', (_name, filter, patch, expected) => {
    expect(matchesFilter(conversation('x', patch), filter, me)).toBe(expected);
  });
});

describe('URL parameters', () => {
  it('round-trips a filter', () => {
    const filter = {
      view: 'all' as const,
      status: 'open' as const,
      channel: 'telegram' as const,
      priority: 'high' as const,
      label: 'vip',
      level: 2,
      q: 'سلام',
    };
    expect(filterFromParams('all', filterToParams(filter))).toEqual(filter);
  });

  it('drops invalid values', () => {
    const params = new URLSearchParams('status=nope&channel=fax&priority=9&level=7');
    expect(filterFromParams('mine', params)).toEqual({ view: 'mine', status: 'active' });
  });

  it('defaults to active conversations; "any" is explicit and survives a round trip', () => {
    expect(filterFromParams('all', new URLSearchParams()).status).toBe('active');
    expect(filterToParams({ view: 'all', status: 'active' }).toString()).toBe('');
    const any = filterFromParams('all', filterToParams({ view: 'all' }));
    expect(any.status).toBeUndefined();
  });

  it('asks the server for every status but resolved when active', () => {
    const asked = toQuery({ view: 'all', status: 'active' }).status?.split(',').sort();
    expect(asked).toEqual(['bot', 'open', 'pending', 'snoozed']);
  });

  it('does not count the default as narrowing', () => {
    expect(hasNarrowing({ view: 'all', status: 'active' })).toBe(false);
    expect(hasNarrowing({ view: 'all', status: 'resolved' })).toBe(true);
  });

  it('recognises views', () => {
    expect(isViewId('mine')).toBe(true);
    expect(isViewId('team:abc')).toBe(true);
    expect(isViewId('team:')).toBe(false);
    expect(isViewId('everything')).toBe(false);
  });

  it('knows when a list is narrowed', () => {
    expect(hasNarrowing({ view: 'all' })).toBe(false);
    expect(hasNarrowing({ view: 'all', label: 'x' })).toBe(true);
  });

  it('reads tier and segment from the URL, drops a bad one, and asks the server for them', () => {
    const f = filterFromParams('all', new URLSearchParams('tier=gold&segment=at_risk'));
    expect(f).toMatchObject({ tier: 'gold', segment: 'at_risk' });
    expect(filterToParams(f).toString()).toBe('tier=gold&segment=at_risk');
    expect(toQuery(f)).toMatchObject({ tier: 'gold', segment: 'at_risk' });
    const bad = filterFromParams('all', new URLSearchParams('tier=<b>&segment=whales'));
    expect(bad.tier).toBeUndefined();
    expect(bad.segment).toBeUndefined();
    expect(hasNarrowing({ view: 'all', tier: 'silver' })).toBe(true);
    expect(filterKey({ view: 'all', tier: 'gold' })).not.toBe(filterKey({ view: 'all' }));
  });

  it('places a live row by its badges, keeping one whose update does not carry them', () => {
    const gold = conversation('c1', {
      contact: { id: 'k', name: 'A', tier: 'gold', segment: 'loyal' },
    });
    const silver = conversation('c2', { contact: { id: 'k2', name: 'B', tier: 'silver' } });
    const bare = conversation('c3', { contact: { id: 'k3', name: 'C' } });
    expect(matchesFilter(gold, { view: 'all', tier: 'gold' }, 'me')).toBe(true);
    expect(matchesFilter(silver, { view: 'all', tier: 'gold' }, 'me')).toBe(false);
    expect(matchesFilter(gold, { view: 'all', segment: 'at_risk' }, 'me')).toBe(false);
    expect(matchesFilter(bare, { view: 'all', tier: 'gold', segment: 'loyal' }, 'me')).toBe(true);
  });
});
