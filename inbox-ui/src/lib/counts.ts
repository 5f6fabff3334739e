import type { Conversation, Counts } from '../api/types';

/** Which of the sidebar's counts a conversation adds to (the server's rule: work not resolved). */
function membership(c: Conversation, meId: string) {
  const open = c.status !== 'resolved' && c.messageCount > 0;
  return {
    all: open,
    mine: open && c.assignee?.id === meId,
    unassigned: open && !c.assignee,
    escalated: open && c.level >= 1,
    team: open && c.team ? c.team.id : null,
  };
}

/**
 * The counts after one conversation changed from `before` to `after`, from the same events that
 * keep the list live. `before` is null for a conversation that was not counted until now (just
 * created), 'unknown' for one this screen never saw: then there is nothing to add up here and
 * the result is null (the caller asks the server).
 */
export function applyCountChange(
  counts: Counts | null,
  before: Conversation | null | 'unknown',
  after: Conversation,
  meId: string,
): Counts | null {
  if (!counts || before === 'unknown') return null;
  const was = before
    ? membership(before, meId)
    : { all: false, mine: false, unassigned: false, escalated: false, team: null };
  const now = membership(after, meId);
  const delta = (a: boolean, b: boolean) => (b ? 1 : 0) - (a ? 1 : 0);
  const teams = { ...counts.teams };
  if (was.team) teams[was.team] = Math.max(0, (teams[was.team] ?? 0) - 1);
  if (now.team) teams[now.team] = (teams[now.team] ?? 0) + 1;
  return {
    all: Math.max(0, counts.all + delta(was.all, now.all)),
    mine: Math.max(0, counts.mine + delta(was.mine, now.mine)),
    unassigned: Math.max(0, counts.unassigned + delta(was.unassigned, now.unassigned)),
    escalated: Math.max(0, counts.escalated + delta(was.escalated, now.escalated)),
    teams,
  };
}
