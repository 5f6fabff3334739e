// A hash router: the server only has to serve index.html at `/`, and every screen has a URL
// that survives a reload and can be shared with a colleague.
//   #/inbox/<view>[/c/<conversationId>][?status=…&channel=…&q=…]
//   #/settings/<tab>
//   #/reports
//   #/customers/<tab>           churn (customers at risk of leaving) or merges (duplicates)
import { filterFromParams, filterToParams, isViewId } from './filters';
import type { ListFilter } from './filters';

export const SETTINGS_TABS = [
  'agents',
  'teams',
  'inboxes',
  'canned',
  'routing',
  'hours',
  'sla',
  'rules',
  'categories',
  'webhooks',
  'bot',
  'orders',
] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

export const CUSTOMER_TABS = ['churn', 'merges'] as const;
export type CustomerTab = (typeof CUSTOMER_TABS)[number];

export type Route =
  | { screen: 'inbox'; filter: ListFilter; conversationId: string | null }
  | { screen: 'settings'; tab: SettingsTab }
  | { screen: 'reports' }
  | { screen: 'customers'; tab: CustomerTab };

export const DEFAULT_ROUTE: Route = {
  screen: 'inbox',
  filter: { view: 'mine' },
  conversationId: null,
};

const ID = /^[0-9a-zA-Z-]{1,64}$/;

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const segments = pathPart
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  if (segments[0] === 'settings') {
    const tab = SETTINGS_TABS.find((x) => x === segments[1]) ?? 'agents';
    return { screen: 'settings', tab };
  }
  if (segments[0] === 'reports') return { screen: 'reports' };
  if (segments[0] === 'customers') {
    const tab = CUSTOMER_TABS.find((x) => x === segments[1]) ?? 'churn';
    return { screen: 'customers', tab };
  }
  if (segments[0] !== 'inbox') return DEFAULT_ROUTE;
  const view = segments[1] ?? 'mine';
  if (!isViewId(view)) return DEFAULT_ROUTE;
  const filter = filterFromParams(view, new URLSearchParams(queryPart));
  const id = segments[2] === 'c' ? segments[3] : undefined;
  return { screen: 'inbox', filter, conversationId: id && ID.test(id) ? id : null };
}

export function formatRoute(route: Route): string {
  if (route.screen === 'settings') return `#/settings/${route.tab}`;
  if (route.screen === 'reports') return '#/reports';
  if (route.screen === 'customers') return `#/customers/${route.tab}`;
  const params = filterToParams(route.filter).toString();
  const conv = route.conversationId ? `/c/${encodeURIComponent(route.conversationId)}` : '';
  return `#/inbox/${encodeURIComponent(route.filter.view)}${conv}${params ? `?${params}` : ''}`;
}
