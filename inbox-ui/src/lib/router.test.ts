import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE, formatRoute, parseRoute } from './router';
import type { Route } from './router';

describe('router', () => {
  it.each<[string, Route]>([
    [
      '#/inbox/mine',
      { screen: 'inbox', filter: { view: 'mine', status: 'active' }, conversationId: null },
    ],
    [
      '#/inbox/all/c/3f1c2a9e-0000-4000-8000-000000000001?status=open',
      {
        screen: 'inbox',
        filter: { view: 'all', status: 'open' },
        conversationId: '3f1c2a9e-0000-4000-8000-000000000001',
      },
    ],
    [
      '#/inbox/team%3At-1?q=%D8%B3%D9%84%D8%A7%D9%85',
      {
        screen: 'inbox',
        filter: { view: 'team:t-1', status: 'active', q: 'سلام' },
        conversationId: null,
      },
    ],
    [
      '#/inbox/escalated?level=3',
      {
        screen: 'inbox',
        filter: { view: 'escalated', status: 'active', level: 3 },
        conversationId: null,
      },
    ],
    ['#/settings/canned', { screen: 'settings', tab: 'canned' }],
    ['#/settings/nope', { screen: 'settings', tab: 'agents' }],
  ])('parses %s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
  });

  it('falls back to "Mine" for anything unknown', () => {
    expect(parseRoute('')).toEqual(DEFAULT_ROUTE);
    expect(parseRoute('#/elsewhere')).toEqual(DEFAULT_ROUTE);
    expect(parseRoute('#/inbox/bogus')).toEqual(DEFAULT_ROUTE);
    expect(parseRoute('#/inbox/all/c/<script>')).toMatchObject({ conversationId: null });
  });

  it('formats what it parses', () => {
    const routes: Route[] = [
      {
        screen: 'inbox',
        filter: { view: 'team:abc', channel: 'email', q: 'ёлка' },
        conversationId: 'c-1',
      },
      { screen: 'inbox', filter: { view: 'unassigned' }, conversationId: null },
      { screen: 'settings', tab: 'teams' },
      { screen: 'customers', tab: 'churn' },
      { screen: 'customers', tab: 'merges' },
      {
        screen: 'inbox',
        filter: { view: 'all', tier: 'gold', segment: 'at_risk' },
        conversationId: null,
      },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('opens the Customers screen, churn first', () => {
    expect(parseRoute('#/customers')).toEqual({ screen: 'customers', tab: 'churn' });
    expect(parseRoute('#/customers/merges')).toEqual({ screen: 'customers', tab: 'merges' });
    expect(parseRoute('#/customers/bogus')).toEqual({ screen: 'customers', tab: 'churn' });
  });
});
