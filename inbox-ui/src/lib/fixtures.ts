import type { Conversation, Message } from '../api/types';

/** Builds a conversation for tests; only the fields a test cares about need to be given. */
export function conversation(id: string, patch: Partial<Conversation> = {}): Conversation {
  return {
    id,
    status: 'open',
    channel: 'webchat',
    inboxId: 'inbox-1',
    contact: { id: `contact-${id}`, name: `Contact ${id}` },
    priority: 'none',
    assignee: null,
    team: null,
    level: 0,
    labels: [],
    unreadCount: 0,
    lastMessageAt: '2024-03-20T10:00:00.000Z',
    lastMessagePreview: 'Hello',
    waitingSince: null,
    snoozedUntil: null,
    firstResponseDueAt: null,
    resolutionDueAt: null,
    createdAt: '2024-03-20T09:00:00.000Z',
    updatedAt: '2024-03-20T10:00:00.000Z',
    ...patch,
  };
}

export function message(id: string, conversationId: string, patch: Partial<Message> = {}): Message {
  return {
    id,
    conversationId,
    direction: 'in',
    senderType: 'contact',
    sender: null,
    text: 'Hi',
    private: false,
    status: 'received',
    failureReason: null,
    attachments: [],
    createdAt: '2024-03-20T11:00:00.000Z',
    ...patch,
  };
}
