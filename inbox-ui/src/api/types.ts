// The API's shapes, imported from the server's own DTOs and socket maps (type-only: nothing of
// the server is bundled), so the app and the server cannot drift apart.
import type {
  AttachmentDto,
  ContactDto,
  ConversationDto,
  IdentityDto,
  MessageDto,
  Ref as ServerRef,
} from '../../../src/conversations/dto';
import type { UserDto } from '../../../src/auth/auth.service';
import type { InboxDto, InboxSummaryDto } from '../../../src/inboxes/inbox.service';
import type { TeamDto } from '../../../src/admin/team.service';
import type {
  ChannelKind,
  ConversationStatus as ServerConversationStatus,
  IdentityKind as ServerIdentityKind,
  MessageStatus as ServerMessageStatus,
  Priority as ServerPriority,
  Role as ServerRole,
} from '../../../src/db/schema';

export type {
  Ack,
  AgentClientEvents,
  AgentServerEvents,
  Viewer,
} from '../../../src/realtime/socket-events';

export type Role = ServerRole;
export type Locale = 'en' | 'fa' | 'ru';
export type ConversationStatus = ServerConversationStatus;
export type Priority = ServerPriority;
export type Channel = ChannelKind;
export type IdentityKind = ServerIdentityKind;
export type MessageStatus = ServerMessageStatus;
export type SenderType = MessageDto['senderType'];

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

export type Ref = ServerRef;

export type User = Omit<UserDto, 'locale'> & { locale: Locale };

export type Identity = IdentityDto;

/** What came of calling a customer back (POST /conversations/:id/callback). */
export type CallbackOutcome = 'reached' | 'no_answer' | 'busy' | 'left_voicemail' | 'wrong_number';
export const CALLBACK_OUTCOMES: readonly CallbackOutcome[] = [
  'reached',
  'no_answer',
  'busy',
  'left_voicemail',
  'wrong_number',
];

export type Contact = ContactDto;

export type Conversation = ConversationDto;

export interface ConversationWithContact extends Omit<Conversation, 'contact'> {
  contact: Contact;
  /** The identity replies go to, and whether it can be reached. */
  recipient?: Identity | null;
}

export type Attachment = AttachmentDto;

/** `html` is an e-mail body, never rendered outside a sandbox. */
export type Message = MessageDto & { subject?: string | null };

/** Admins get the whole inbox; agents only its summary. */
export type Inbox = InboxSummaryDto & Partial<Omit<InboxDto, keyof InboxSummaryDto>>;

export type Team = TeamDto;

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

/** The bot's knowledge base: ways a customer asks, and the answer, per language. */
export interface BotKbInput {
  questions: Partial<Record<Locale, string[]>>;
  answers: Partial<Record<Locale, string>>;
  enabled?: boolean;
}

export interface BotKbEntry extends BotKbInput {
  id: string;
  enabled: boolean;
}

export interface BotTexts {
  language: Locale;
  texts: Record<string, string>;
  defaults: Record<string, string>;
  changed: string[];
}

export interface BotTry {
  replies: { text: string; buttons?: { label: string; value: string }[] }[];
  handover: { reason: string } | null;
  complaint: Record<string, string | null> | null;
}
