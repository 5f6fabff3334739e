import { describe, expect, it } from 'vitest';
import type { Counts } from '../api/types';
import { applyCountChange } from './counts';
import { conversation } from './fixtures';

const ME = 'user-me';
const zero: Counts = { all: 0, mine: 0, unassigned: 0, escalated: 0, teams: {} };

describe('applyCountChange', () => {
  it('counts a new unassigned conversation in "All" and "Unassigned" at once', () => {
    expect(applyCountChange(zero, null, conversation('a'), ME)).toEqual({
      ...zero,
      all: 1,
      unassigned: 1,
    });
  });

  it('moves a conversation from "Unassigned" to "Mine" and into its team when assigned', () => {
    const before = conversation('a');
    const after = conversation('a', {
      assignee: { id: ME, name: 'Me' },
      team: { id: 'team-1', name: 'Billing' },
    });
    const counts = { ...zero, all: 4, unassigned: 2 };
    expect(applyCountChange(counts, before, after, ME)).toEqual({
      all: 4,
      mine: 1,
      unassigned: 1,
      escalated: 0,
      teams: { 'team-1': 1 },
    });
  });

  it('takes a resolved conversation out of every view, escalated included', () => {
    const before = conversation('a', { level: 2, team: { id: 't', name: 'T' } });
    const counts: Counts = { all: 3, mine: 0, unassigned: 3, escalated: 1, teams: { t: 1 } };
    expect(applyCountChange(counts, before, { ...before, status: 'resolved' }, ME)).toEqual({
      all: 2,
      mine: 0,
      unassigned: 2,
      escalated: 0,
      teams: { t: 0 },
    });
  });

  it('leaves the counts alone for a change that moves nothing (a new message in a counted one)', () => {
    const counts = { ...zero, all: 1, unassigned: 1 };
    const before = conversation('a', { messageCount: 2 });
    expect(applyCountChange(counts, before, { ...before, messageCount: 3 }, ME)).toEqual(counts);
  });

  it('does not count a web visitor who has not written yet', () => {
    expect(applyCountChange(zero, null, conversation('a', { messageCount: 0 }), ME)).toEqual(zero);
  });

  it('gives up (the caller asks the server) for a conversation this screen never saw', () => {
    expect(applyCountChange(zero, 'unknown', conversation('a'), ME)).toBeNull();
    expect(applyCountChange(null, null, conversation('a'), ME)).toBeNull();
  });
});
