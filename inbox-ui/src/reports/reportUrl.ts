import { checkRange, type DayRange } from './dateRange';

/**
 * What the Reports page shows, in its address (`#/reports?from=…&to=…&inbox=…`): a reload keeps
 * it, and a supervisor can send a colleague the exact report. Anything unreadable is dropped.
 */
export interface ReportView {
  range: DayRange | null;
  teamId: string;
  inboxId: string;
  assigneeId: string;
  hoursId: string;
}

const KEYS = { teamId: 'team', inboxId: 'inbox', assigneeId: 'agent', hoursId: 'hours' } as const;
const ID = /^[0-9a-zA-Z-]{1,64}$/;

export function viewFromHash(hash: string): ReportView {
  const query = hash.split('?', 2)[1] ?? '';
  const params = new URLSearchParams(query);
  const id = (key: string) => {
    const value = params.get(key) ?? '';
    return ID.test(value) ? value : '';
  };
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const range = { from, to };
  return {
    range: checkRange(range) === null ? range : null,
    teamId: id(KEYS.teamId),
    inboxId: id(KEYS.inboxId),
    assigneeId: id(KEYS.assigneeId),
    hoursId: id(KEYS.hoursId),
  };
}

export function hashOf(view: ReportView): string {
  const params = new URLSearchParams();
  if (view.range) {
    params.set('from', view.range.from);
    params.set('to', view.range.to);
  }
  for (const [field, key] of Object.entries(KEYS) as [keyof typeof KEYS, string][])
    if (view[field]) params.set(key, view[field]);
  const query = params.toString();
  return `#/reports${query ? `?${query}` : ''}`;
}
