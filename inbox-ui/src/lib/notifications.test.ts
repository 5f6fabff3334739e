import { describe, expect, it } from 'vitest';
import { conversation } from './fixtures';
import { assignmentNotice, escalationNotice } from './notifications';

const me = { id: 'u1', role: 'agent' as const };
const mine = { assignee: { id: 'u1', name: 'Me' } };

describe('notifications', () => {
  it('notifies when a conversation becomes mine', () => {
    expect(assignmentNotice(null, conversation('a', mine), me)?.kind).toBe('assigned');
    expect(assignmentNotice(conversation('a'), conversation('a', mine), me)?.kind).toBe('assigned');
  });

  it('does not repeat for later updates, others, or resolved ones', () => {
    expect(
      assignmentNotice(conversation('a', mine), conversation('a', { ...mine, unreadCount: 3 }), me),
    ).toBeNull();
    expect(
      assignmentNotice(null, conversation('a', { assignee: { id: 'u2', name: 'X' } }), me),
    ).toBeNull();
    expect(
      assignmentNotice(null, conversation('a', { ...mine, status: 'resolved' }), me),
    ).toBeNull();
  });

  it('tells supervisors and admins about escalations, not agents', () => {
    expect(escalationNotice(conversation('a', { level: 2 }), { role: 'supervisor' })?.kind).toBe(
      'escalated',
    );
    expect(escalationNotice(conversation('a', { level: 2 }), { role: 'admin' })?.kind).toBe(
      'escalated',
    );
    expect(escalationNotice(conversation('a', { level: 2 }), { role: 'agent' })).toBeNull();
  });
});
