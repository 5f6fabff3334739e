/**
 * Durable domain events: ids and what changed, written in the transaction that made the change
 * and handed to listeners (rules, SLA, bot, outgoing webhooks) by the job worker, once per
 * listener, across instances. Socket payloads are a different, typed map (src/realtime).
 */
export type Change = { from: unknown; to: unknown };

export type Actor =
  | { type: 'user'; id: string }
  | { type: 'contact'; id: string }
  | { type: 'bot' }
  | { type: 'system'; rule?: string };

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
}

export type DomainEventName = keyof DomainEventMap;
export type Publish = <K extends DomainEventName>(
  name: K,
  data: DomainEventMap[K],
) => Promise<void>;
