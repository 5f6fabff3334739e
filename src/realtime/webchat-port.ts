import type { WebchatPort } from '../../channels/webchat/gateway';
import { toVisitorEvent } from '../../channels/webchat/visitor-event';
import type { ChannelHost } from '../channel-host/channel-host';
import type { InboxRepository } from '../inboxes/inbox.repository';
import type { IngestService } from '../ingest/ingest.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageRepository } from '../conversations/message.repository';
import type { ContactRepository } from '../contacts/contact.repository';
import type { ContactService } from '../contacts/contact.service';
import type { EventService } from '../events/event.service';
import type { Logger } from '../logger';
import type { AgentGateway } from './agent.gateway';

const HISTORY_LIMIT = 500;
const INBOX_CACHE_MS = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The server side of the web-chat gateway's port: services, not tables. */
export function webchatPort(deps: {
  host: ChannelHost;
  inboxes: InboxRepository;
  ingest: IngestService;
  conversations: ConversationRepository;
  messages: MessageRepository;
  contactRepo: ContactRepository;
  contacts: ContactService;
  events: EventService;
  agents: AgentGateway;
  logger: Logger;
}): WebchatPort {
  // Every page view asks which inbox it talks to: answered from memory for a few seconds, and
  // forgotten at once when an inbox changes (disabled, renamed, removed).
  const inboxes = new Map<string, { at: number; inbox: Promise<{ id: string } | undefined> }>();
  deps.events.on('inbox.changed', () => inboxes.clear());
  const lookup = (key: string, find: () => Promise<{ id: string } | undefined>) => {
    const now = Date.now();
    const hit = inboxes.get(key);
    if (hit && now - hit.at < INBOX_CACHE_MS) return hit.inbox;
    const inbox = find().catch((err: unknown) => {
      inboxes.delete(key);
      throw err;
    });
    if (inboxes.size > 1000) inboxes.clear();
    inboxes.set(key, { at: now, inbox });
    return inbox;
  };
  return {
    async inbox(inboxId) {
      if (inboxId !== undefined && inboxId !== null && inboxId !== '') {
        if (typeof inboxId !== 'string' || !UUID.test(inboxId)) return undefined;
        return lookup(inboxId, () => deps.inboxes.firstOfKind('webchat', inboxId));
      }
      return lookup('', () => deps.inboxes.firstOfKind('webchat'));
    },
    async session(inboxId, visitorId) {
      const known = await deps.contactRepo.byIdentity({ kind: 'webchat', value: visitorId });
      if (!known) return undefined;
      const latest = await deps.conversations.latestFor(inboxId, known.contactId);
      return latest ? { contactId: known.contactId, conversationId: latest.id } : undefined;
    },
    async receive(inboxId, message, conversationId) {
      const live = await deps.host.get(inboxId);
      if (!live) throw new Error('the web-chat inbox is not available');
      const result = await deps.ingest.ingest(
        { ...live.inbox, threaded: false },
        message,
        conversationId ? { conversationId } : undefined,
      );
      return {
        messageId: result.message.id,
        conversationId: result.conversation.id,
        contactId: result.contactId,
      };
    },
    async history(conversationId) {
      const rows = await deps.messages.list(conversationId, {
        limit: HISTORY_LIMIT,
        includePrivate: false,
      });
      return rows.map(toVisitorEvent);
    },
    saveDetails: (visitorId, details) =>
      deps.contacts.addCustomerDetails({ kind: 'webchat', value: visitorId }, details),
    async visitorTyping(session, typing) {
      // Only the name, read fresh: an agent may have renamed the contact meanwhile.
      const name = (await deps.contactRepo.name(session.contactId)) ?? '';
      deps.agents.contactTyping(
        session.conversationId,
        session.inboxId,
        { id: session.contactId, name },
        typing,
      );
    },
    onVisibleMessage(listener) {
      deps.events.on('message.created', ({ conversationId, message }) => {
        if (!message.private) listener(conversationId, toVisitorEvent(message));
      });
    },
    log: deps.logger,
  };
}
