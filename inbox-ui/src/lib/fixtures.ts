import type { Attachment, Conversation, Identity, Message } from '../api/types';

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
    subject: null,
    unreadCount: 0,
    messageCount: 1,
    lastMessageAt: '2024-03-20T10:00:00.000Z',
    lastMessagePreview: 'Hello',
    waitingSince: null,
    snoozedUntil: null,
    firstReplyAt: null,
    firstResponseDueAt: null,
    nextResponseDueAt: null,
    resolutionDueAt: null,
    slaState: null,
    resolvedAt: null,
    complaint: null,
    csat: null,
    createdAt: '2024-03-20T09:00:00.000Z',
    updatedAt: '2024-03-20T10:00:00.000Z',
    ...patch,
  };
}

/** An identity as the server sends it, reachable unless told otherwise. */
export function identity(
  kind: Identity['kind'],
  value: string,
  patch: Partial<Identity> = {},
): Identity {
  return { kind, value, state: 'ok', stateReason: null, ...patch };
}

/** An attachment already stored on our side. */
export function attachment(id: string, patch: Partial<Attachment> = {}): Attachment {
  return {
    id,
    fileName: `${id}.bin`,
    contentType: 'application/octet-stream',
    size: 1,
    url: `/api/v1/attachments/${id}`,
    state: 'stored',
    error: null,
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
    html: null,
    private: false,
    status: 'received',
    failureReason: null,
    attachments: [],
    editedAt: null,
    createdAt: '2024-03-20T11:00:00.000Z',
    ...patch,
  };
}
