/**
 * Durable domain events: ids and what changed, written in the transaction that made the change
 * and handed to listeners (rules, SLA, bot, outgoing webhooks) by the job worker, once per
 * listener, across instances. Socket payloads are a different, typed map (src/realtime).
 */
import type { ConversationStatus, SlaTarget } from '../db/schema';

export type Change = { from: unknown; to: unknown };

export type Actor =
  | { type: 'user'; id: string }
  | { type: 'contact'; id: string }
  | { type: 'bot' }
  | { type: 'system'; rule?: string; depth?: number };

export interface DomainEventMap {
  'message.received': {
    messageId: string;
    conversationId: string;
    contactId: string;
    inboxId: string;
  };
  'message.posted': {
    messageId: string;
    conversationId: string;
    inboxId: string;
    senderType: 'user' | 'bot' | 'system';
    private: boolean;
    actor: Actor;
    /** The conversation's status when the message was posted (e.g. `bot`: the bot is talking). */
    conversationStatus?: ConversationStatus;
  };
  'conversation.created': { conversationId: string; contactId: string; inboxId: string };
  'conversation.updated': {
    conversationId: string;
    inboxId: string;
    changes: Record<string, Change>;
    actor: Actor;
  };
  'complaint.changed': {
    complaintId: string;
    conversationId: string;
    changes: Record<string, Change>;
    actor: Actor;
  };
  'complaint.created': { complaintId: string; conversationId: string; actor: Actor };
  /** A resolved complaint came back: the customer said it is not solved, or wrote again. */
  'complaint.reopened': {
    complaintId: string;
    conversationId: string;
    reason: string;
    actor: Actor;
  };
  'sla.warning': { conversationId: string; inboxId: string; target: SlaTarget };
  'sla.breached': { conversationId: string; inboxId: string; target: SlaTarget };
  'csat.received': { conversationId: string; complaintId: string | null; rating: number };
}

export type DomainEventName = keyof DomainEventMap;
export type Publish = <K extends DomainEventName>(
  name: K,
  data: DomainEventMap[K],
) => Promise<void>;
