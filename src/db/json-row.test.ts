import { describe, expect, it } from 'vitest';
import { conversations } from './schema';
import { rowFromJson } from './json-row';

describe('rowFromJson', () => {
  it('maps column names to fields and timestamps to dates', () => {
    const row = rowFromJson(conversations, {
      id: 'c1',
      inbox_id: 'i1',
      contact_id: 'p1',
      status: 'open',
      labels: ['vip'],
      unread_count: 3,
      last_message_at: '2026-11-23T20:31:12.123456+00:00',
      resolved_at: null,
    });
    expect(row).toMatchObject({
      id: 'c1',
      inboxId: 'i1',
      contactId: 'p1',
      status: 'open',
      labels: ['vip'],
      unreadCount: 3,
      resolvedAt: null,
    });
    expect(row.lastMessageAt).toEqual(new Date('2026-11-23T20:31:12.123Z'));
    // Columns missing from the JSON come back as null, never undefined.
    expect(row.assigneeId).toBeNull();
  });
});
