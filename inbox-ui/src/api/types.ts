// Shapes of docs/api.md. Fields the server may add later (such as `html` on email messages) are
// optional so the app keeps working with older and newer servers alike.

export type Role = 'admin' | 'supervisor' | 'agent';
export type Locale = 'en' | 'fa' | 'ru';
export type ConversationStatus = 'bot' | 'open' | 'pending' | 'snoozed' | 'resolved';
export type Priority = 'none' | 'low' | 'medium' | 'high' | 'urgent';
export type Channel = 'webchat' | 'sms' | 'voice' | 'email' | 'telegram' | 'botframework';
export type IdentityKind = 'phone' | 'email' | 'telegram' | 'webchat' | 'botframework';
export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
export type SenderType = 'contact' | 'user' | 'bot' | 'system';

export const STATUSES: readonly ConversationStatus[] = [
  'open',
  'pending',
  'snoozed',
  'resolved',
  'bot',
];
export const PRIORITIES: readonly Priority[] = ['none', 'low', 'medium', 'high', 'urgent'];
export const CHANNELS: readonly Channel[] = [
  'webchat',
  'sms',
  'voice',
  'email',
  'telegram',
  'botframework',
];
export const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];

export interface Ref {
  id: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  active: boolean;
  inboxIds: string[];
  teamIds: string[];
  createdAt: string;
}

export interface Identity {
  kind: IdentityKind;
  value: string;
  /** Whether we can reach the customer there (`blocked`: they blocked our bot). */
  state?: 'ok' | 'blocked' | 'opted_out' | 'undeliverable';
  stateReason?: string | null;
}

export interface Contact {
  id: string;
  name: string;
  language: string | null;
  preferredChannel: Channel | null;
  birthday: string | null;
  tier: string | null;
  lifetimeValue: string | number | null;
  notes: string;
  customAttributes: Record<string, unknown>;
  identities: Identity[];
  lastSeenAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Conversation {
  id: string;
  status: ConversationStatus;
  channel: Channel;
  inboxId: string;
  contact: Ref;
  priority: Priority;
  assignee: Ref | null;
  team: Ref | null;
  level: number;
  labels: string[];
  unreadCount: number;
  lastMessageAt: string | null;
  lastMessagePreview: string | null;
  waitingSince: string | null;
  snoozedUntil: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationWithContact extends Omit<Conversation, 'contact'> {
  contact: Contact;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
  /** `pending` while the server fetches it from the channel; `failed` or `too_large` if it could not. */
  state?: 'stored' | 'pending' | 'failed' | 'too_large';
  error?: string | null;
}

export interface Message {
  id: string;
  conversationId: string;
  direction: 'in' | 'out';
  senderType: SenderType;
  sender: Ref | null;
  text: string;
  private: boolean;
  status: MessageStatus;
  failureReason: string | null;
  attachments: Attachment[];
  createdAt: string;
  /** Email body as HTML, when the email channel provides one. Never rendered outside a sandbox. */
  html?: string | null;
  subject?: string | null;
  /** Set when the customer edited the message on their side (Telegram). */
  editedAt?: string | null;
  /** The earlier message this one answers, as the channel quoted it. */
  replyTo?: { text: string; author: string | null } | null;
}

export interface InboxHealth {
  status?: 'unknown' | 'connected' | 'failing';
  lastError?: string | null;
  lastErrorAt?: string | null;
  lastOkAt?: string | null;
  lastMessageInAt?: string | null;
  detail?: Record<string, unknown>;
}

export interface Inbox {
  id: string;
  name: string;
  channel: Channel;
  enabled: boolean;
  settings: Record<string, unknown>;
  memberIds: string[];
  /** What customers know the inbox as (a Telegram bot's @username), when known. */
  address?: string | null;
  /** Admins only: the link to the provider, and where its webhooks must point. */
  health?: InboxHealth;
  webhookUrls?: string[];
}

export interface Team {
  id: string;
  name: string;
  description: string;
  memberIds: string[];
}

export interface CannedResponse {
  id: string;
  shortCode: string;
  content: string;
}

export interface Escalation {
  fromLevel: number;
  toLevel: number;
  reason: string;
  actor: Ref | null;
  createdAt: string;
}

export interface Counts {
  mine: number;
  unassigned: number;
  all: number;
  escalated: number;
  teams: Record<string, number>;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface SearchResult {
  contacts: Contact[];
  messages: { message: Message; conversation: Conversation }[];
}

export interface Viewer {
  id: string;
  name: string;
  typing: boolean;
}

export interface AgentServerEvents {
  'message.created': (e: { conversationId: string; message: Message }) => void;
  'message.updated': (e: { conversationId: string; message: Message }) => void;
  'conversation.created': (e: { conversation: Conversation }) => void;
  'conversation.updated': (e: { conversation: Conversation }) => void;
  'conversation.escalated': (e: {
    conversation: Conversation;
    level: number;
    reason: string;
  }) => void;
  typing: (e: {
    conversationId: string;
    actor: { type: 'contact' | 'user'; id: string; name: string };
    typing: boolean;
  }) => void;
  presence: (e: { conversationId: string; viewers: Viewer[] }) => void;
}

export type Ack = { ok: true } | { error: { code: string; message: string } };

export interface AgentClientEvents {
  'conversation.view': (e: { conversationId: string }, ack: (r: Ack) => void) => void;
  'conversation.leave': (e: { conversationId: string }, ack: (r: Ack) => void) => void;
  typing: (
    e: { conversationId: string; typing: boolean; private?: boolean },
    ack: (r: Ack) => void,
  ) => void;
}
