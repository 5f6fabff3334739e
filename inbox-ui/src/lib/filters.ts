import type { ConversationQuery } from '../api/client';
import type { Channel, Conversation, ConversationStatus, Priority } from '../api/types';
import { CHANNELS, PRIORITIES, STATUSES } from '../api/types';
import { matchesSearch } from './search';

export type BaseView = 'mine' | 'unassigned' | 'all' | 'escalated';
export type ViewId = BaseView | `team:${string}`;

/** `active` = every status but resolved: the default, what is still work. Unset = any. */
export type StatusFilter = ConversationStatus | 'active';
export const ACTIVE_STATUSES = STATUSES.filter((s) => s !== 'resolved');

export interface ListFilter {
  view: ViewId;
  status?: StatusFilter;
  channel?: Channel;
  priority?: Priority;
  label?: string;
  /** Minimum complaint level (escalated view). */
  level?: number;
  /** The contact's value tier (gold, silver, bronze or one an admin named). */
  tier?: string;
  /** The contact's RFM segment. */
  segment?: Segment;
  q?: string;
}

export const SEGMENTS = [
  'champions',
  'loyal',
  'potential',
  'new',
  'need_attention',
  'at_risk',
  'hibernating',
] as const;
export type Segment = (typeof SEGMENTS)[number];
export const TIERS = ['gold', 'silver', 'bronze'] as const;
const TIER = /^[\p{L}\p{N} _-]{1,50}$/u;

export const PAGE_SIZE = 50;

export function isViewId(value: string): value is ViewId {
  return (
    value === 'mine' ||
    value === 'unassigned' ||
    value === 'all' ||
    value === 'escalated' ||
    (value.startsWith('team:') && value.length > 5)
  );
}

export function teamOf(view: ViewId): string | undefined {
  return view.startsWith('team:') ? view.slice(5) : undefined;
}

/** The list endpoint's query for a filter; a team view is "all" narrowed to the team. */
export function toQuery(filter: ListFilter, cursor?: string, limit = PAGE_SIZE): ConversationQuery {
  const teamId = teamOf(filter.view);
  return {
    view: teamId ? 'all' : (filter.view as BaseView),
    teamId,
    status: filter.status === 'active' ? ACTIVE_STATUSES.join(',') : filter.status,
    channel: filter.channel,
    priority: filter.priority,
    label: filter.label,
    level: filter.level,
    tier: filter.tier,
    segment: filter.segment,
    q: filter.q?.trim() || undefined,
    limit,
    cursor,
  };
}

/** A stable key: two filters with the same key show the same list. */
export function filterKey(filter: ListFilter): string {
  const q = toQuery(filter);
  return JSON.stringify([
    q.view,
    q.teamId,
    q.status,
    q.channel,
    q.priority,
    q.label,
    q.level,
    q.tier,
    q.segment,
    q.q,
  ]);
}

/**
 * Whether a conversation belongs in the list the filter describes. Used to place live updates
 * without asking the server; the server stays the judge when the list is next loaded.
 */
export function matchesFilter(c: Conversation, filter: ListFilter, meId: string): boolean {
  switch (filter.view) {
    case 'mine':
      if (c.assignee?.id !== meId) return false;
      break;
    case 'unassigned':
      if (c.assignee !== null) return false;
      break;
    case 'escalated':
      if (c.level < 1) return false;
      break;
    case 'all':
      break;
    default:
      if (c.team?.id !== teamOf(filter.view)) return false;
  }
  if (
    filter.status === 'active'
      ? c.status === 'resolved'
      : filter.status && c.status !== filter.status
  ) {
    return false;
  }
  if (filter.channel && c.channel !== filter.channel) return false;
  if (filter.priority && c.priority !== filter.priority) return false;
  if (filter.label && !c.labels.includes(filter.label)) return false;
  if (filter.level !== undefined && c.level < filter.level) return false;
  // A live update may not carry the badges (undefined): the list keeps the row's own.
  if (filter.tier && c.contact.tier !== undefined && c.contact.tier !== filter.tier) return false;
  if (filter.segment && c.contact.segment !== undefined && c.contact.segment !== filter.segment)
    return false;
  if (filter.q && !matchesSearch(`${c.contact.name} ${c.lastMessagePreview ?? ''}`, filter.q)) {
    return false;
  }
  return true;
}

/** Reads filter fields from URL search parameters, ignoring anything invalid. */
export function filterFromParams(view: ViewId, params: URLSearchParams): ListFilter {
  const filter: ListFilter = { view, status: 'active' };
  const status = params.get('status');
  if (status === 'any') delete filter.status;
  else if (status && (STATUSES as readonly string[]).includes(status)) {
    filter.status = status as ConversationStatus;
  }
  const channel = params.get('channel');
  if (channel && (CHANNELS as readonly string[]).includes(channel))
    filter.channel = channel as Channel;
  const priority = params.get('priority');
  if (priority && (PRIORITIES as readonly string[]).includes(priority)) {
    filter.priority = priority as Priority;
  }
  const label = params.get('label');
  if (label) filter.label = label;
  const level = Number(params.get('level'));
  if (Number.isInteger(level) && level >= 1 && level <= 4) filter.level = level;
  const tier = params.get('tier');
  if (tier && TIER.test(tier)) filter.tier = tier;
  const segment = params.get('segment');
  if (segment && (SEGMENTS as readonly string[]).includes(segment))
    filter.segment = segment as Segment;
  const q = params.get('q');
  if (q) filter.q = q;
  return filter;
}

export function filterToParams(filter: ListFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.status === undefined) params.set('status', 'any');
  else if (filter.status !== 'active') params.set('status', filter.status);
  if (filter.channel) params.set('channel', filter.channel);
  if (filter.priority) params.set('priority', filter.priority);
  if (filter.label) params.set('label', filter.label);
  if (filter.level !== undefined) params.set('level', String(filter.level));
  if (filter.tier) params.set('tier', filter.tier);
  if (filter.segment) params.set('segment', filter.segment);
  if (filter.q) params.set('q', filter.q);
  return params;
}

export function hasNarrowing(filter: ListFilter): boolean {
  return Boolean(
    (filter.status && filter.status !== 'active') ||
    filter.channel ||
    filter.priority ||
    filter.label ||
    filter.level ||
    filter.tier ||
    filter.segment ||
    filter.q,
  );
}
