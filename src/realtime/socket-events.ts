import type { ConversationDto, MessageDto } from '../conversations/dto';
import type { SlaTarget } from '../db/schema';
import type { NotificationDto } from '../notifications/notification.service';

/**
 * What the `/agent` namespace sends and takes (CONTRACT, socket.io). The inbox app imports these
 * types, so server and app cannot drift apart.
 */
export interface Viewer {
  id: string;
  name: string;
  typing: boolean;
}

export interface AgentServerEvents {
  'message.created': (e: {
    conversationId: string;
    message: MessageDto;
    conversation?: ConversationDto;
  }) => void;
  'message.updated': (e: { conversationId: string; message: MessageDto }) => void;
  'conversation.created': (e: { conversation: ConversationDto }) => void;
  'conversation.updated': (e: { conversation: ConversationDto }) => void;
  'conversation.escalated': (e: {
    conversation: ConversationDto;
    level: number;
    reason: string;
  }) => void;
  /** A clock crossed its warning threshold, or its due time (CONTRACT). */
  'sla.warning': (e: { conversation: ConversationDto; target: SlaTarget }) => void;
  'sla.breached': (e: { conversation: ConversationDto; target: SlaTarget }) => void;
  /** Something for this user to look at (a rule's "notify supervisors"), live. */
  notification: (n: Omit<NotificationDto, 'readAt'>) => void;
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
  'message.send': (
    e: { conversationId: string; text: string; private?: boolean },
    ack: (r: ({ ok: true } & { message: MessageDto }) | Exclude<Ack, { ok: true }>) => void,
  ) => void;
}
