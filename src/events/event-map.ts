import type { ConversationDto, MessageDto, ContactDto } from '../conversations/dto';
import type { ConversationRow, SlaTarget } from '../db/schema';
import type { IngestBotContext } from '../ingest/ingest-batcher';

/**
 * Live events of this process, emitted after the transaction that caused them has committed:
 * the socket gateways fan them out. Durable events for listeners are in domain-events.ts.
 */
export interface EventMap {
  'message.created': {
    conversationId: string;
    inboxId: string;
    message: MessageDto;
    conversation: ConversationDto;
  };
  'message.updated': { conversationId: string; inboxId: string; message: MessageDto };
  'conversation.created': { conversation: ConversationDto };
  'conversation.updated': { conversation: ConversationDto; changes: string[] };
  'conversation.escalated': {
    conversation: ConversationDto;
    level: number;
    fromLevel: number;
    reason: string;
  };
  'sla.warning': { conversation: ConversationDto; target: SlaTarget };
  'sla.breached': { conversation: ConversationDto; target: SlaTarget };
  /** A person should look at something (a rule asked for supervisors). */
  notification: {
    userIds: string[];
    notification: {
      id: string;
      kind: string;
      title: string;
      body: string;
      conversationId: string | null;
      createdAt: string;
    };
  };
  'contact.created': { contact: ContactDto };
  'contact.updated': { contact: ContactDto };
  /**
   * A customer's message in a conversation the bot holds was stored, with the turn's job as a
   * safety net: the ingesting process takes the turn at once.
   */
  'bot.turn': {
    conversation: ConversationRow;
    message: { id: string; text: string; createdAt: Date };
    bot: IngestBotContext;
  };
  /** Jobs were written: wake the worker now instead of at its next poll. */
  'jobs.enqueued': Record<string, never>;
  /** An inbox's configuration changed: its live channel is rebuilt. */
  'inbox.changed': { inboxId: string };
  'user.deactivated': { userId: string };
  'user.access-changed': { userId: string };
  /** Availability, capacity or inboxes changed: routing may have someone to give them. */
  'user.routing-changed': { userId: string };
  'auth.token-revoked': { tokenId: string };
}

export type EventName = keyof EventMap;
export type PendingEvent = { [K in EventName]: { name: K; payload: EventMap[K] } }[EventName];
export type Emit = <K extends EventName>(name: K, payload: EventMap[K]) => void;
