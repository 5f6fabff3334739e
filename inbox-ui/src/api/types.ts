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
  /** E.164; calls forwarded by the phone menu ring it while `onDuty`. Older servers omit both. */
  phone?: string | null;
  onDuty?: boolean;
  createdAt: string;
}

/** What came of calling a customer back (POST /conversations/:id/callback). */
export type CallbackOutcome = 'reached' | 'no_answer' | 'busy' | 'left_voicemail' | 'wrong_number';
export const CALLBACK_OUTCOMES: readonly CallbackOutcome[] = [
  'reached',
  'no_answer',
  'busy',
  'left_voicemail',
  'wrong_number',
];

/** Whether the customer can be reached there: `opted_out` after an SMS STOP. */
export type IdentityState = 'ok' | 'blocked' | 'opted_out' | 'undeliverable';

export interface Identity {
  kind: IdentityKind;
  value: string;
  state?: IdentityState;
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
  /** The identity replies go to, and whether it can be reached. */
  recipient?: Identity | null;
}

export interface Attachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  url: string;
  /** `pending` while fetched from the provider; `failed`/`too_large` with `error` when not kept. */
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
}

export interface Inbox {
  id: string;
  name: string;
  channel: Channel;
  enabled: boolean;
  settings: Record<string, unknown>;
  memberIds: string[];
  /** Admins only: the provider-side identity (number, bot) and where its webhooks must go. */
  routingKey?: string | null;
  webhookUrls?: string[];
  credentialsSet?: string[];
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
