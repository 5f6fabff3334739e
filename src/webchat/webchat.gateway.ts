import type { Namespace, Server, Socket } from 'socket.io';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { contacts, inboxes, type InboxRow } from '../db/schema';
import type { IngestService } from '../ingest/ingest.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { ContactService } from '../contacts/contact.service';
import type { EventService } from '../events/event.service';
import type { Logger } from '../logger';
import type { AgentGateway, VisitorNotifier } from '../inbox/agent.gateway';
import { issueVisitorToken, verifyVisitorToken } from '../../channels/webchat/verify';
import { parseVisitorContact, parseVisitorMessage } from '../../channels/webchat/parse';
import {
  toVisitorEvent,
  type VisitorMessageEvent,
  type WebchatTransport,
} from '../../channels/webchat/adapter';

const visitorRoom = (id: string) => `visitor:${id}`;
const conversationRoom = (id: string) => `conversation:${id}`;
const HISTORY_LIMIT = 500;
/** Per visitor socket: at most this many messages in a rolling 10 seconds. */
const BURST = 30;

interface VisitorSession {
  visitorId: string;
  inbox: InboxRow;
  contactId: string;
  conversationId: string;
  sent: number[];
}

type Ack = (response: unknown) => void;

/**
 * The `/webchat` namespace: the website widget's side. It is the transport the web-chat adapter
 * sends through; it verifies visitor tokens and hands messages to ingest.
 */
export class WebchatGateway implements WebchatTransport, VisitorNotifier {
  private nsp: Namespace | undefined;

  constructor(
    private readonly db: Db,
    private readonly secret: string,
    private readonly ingest: IngestService,
    private readonly repo: ConversationRepository,
    private readonly contacts: ContactService,
    private readonly events: EventService,
    private readonly logger: Logger,
  ) {}

  init(io: Server, agents: AgentGateway): void {
    const nsp = (this.nsp = io.of('/webchat'));
    nsp.use(async (socket, next) => {
      try {
        const auth = socket.handshake.auth as { visitorToken?: unknown; inboxId?: unknown };
        const inbox = await this.findInbox(auth.inboxId);
        if (!inbox) {
          return next(
            Object.assign(new Error('unknown inbox'), {
              data: { code: 'not_found', message: 'no enabled web-chat inbox with that id' },
            }),
          );
        }
        const known = verifyVisitorToken(this.secret, auth.visitorToken);
        const { token, visitorId } = known
          ? { token: auth.visitorToken as string, visitorId: known }
          : issueVisitorToken(this.secret);
        const { contactId, conversationId } = await this.ingest.sessionConversation(inbox, {
          kind: 'webchat',
          value: visitorId,
        });
        const session: VisitorSession = { visitorId, inbox, contactId, conversationId, sent: [] };
        socket.data.session = session;
        socket.data.token = token;
        await socket.join([visitorRoom(visitorId), conversationRoom(conversationId)]);
        next();
      } catch (err) {
        this.logger.error({ err }, 'web-chat handshake failed');
        next(
          Object.assign(new Error('internal'), {
            data: { code: 'internal', message: 'could not start the chat session' },
          }),
        );
      }
    });
    nsp.on('connection', (socket) => void this.onConnection(socket, agents));
    this.events.on('message.created', ({ conversationId, message }) => {
      // The visitor's own messages reach their other tabs; replies arrive through the adapter.
      if (message.direction === 'in' && !message.private)
        nsp.to(conversationRoom(conversationId)).emit('message', toVisitorEvent(message));
    });
  }

  private async onConnection(socket: Socket, agents: AgentGateway): Promise<void> {
    const session = socket.data.session as VisitorSession;
    socket.on('message', async (payload: unknown, ack?: unknown) => {
      const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
      const now = Date.now();
      session.sent = session.sent.filter((t) => now - t < 10_000);
      if (session.sent.length >= BURST) {
        return reply({
          error: { code: 'rate_limited', message: 'too many messages; wait a few seconds' },
        });
      }
      const parsed = parseVisitorMessage(session.visitorId, payload);
      if (!parsed.ok)
        return reply({ error: { code: 'validation_failed', message: parsed.message } });
      session.sent.push(now);
      try {
        const result = await this.ingest.ingest(session.inbox, parsed.value, session);
        if (result.conversation.id !== session.conversationId) {
          // The old conversation was closed long ago; this message opened a new one.
          await socket.leave(conversationRoom(session.conversationId));
          session.conversationId = result.conversation.id;
          await socket.join(conversationRoom(session.conversationId));
          socket.emit('session', {
            visitorToken: socket.data.token as string,
            conversationId: session.conversationId,
          });
        }
        reply({ id: result.message.id });
      } catch (err) {
        this.logger.error({ err }, 'web-chat message could not be stored');
        reply({
          error: { code: 'internal', message: 'the message could not be stored; please try again' },
        });
      }
    });

    socket.on('typing', async (payload: unknown) => {
      const typing = (payload as { typing?: unknown } | null)?.typing;
      if (typeof typing !== 'boolean') return;
      try {
        // Only the name, read fresh: an agent may have renamed the contact meanwhile.
        const [contact] = await this.db
          .select({ name: contacts.name })
          .from(contacts)
          .where(eq(contacts.id, session.contactId));
        agents.contactTyping(
          session.conversationId,
          session.inbox.id,
          { id: session.contactId, name: contact?.name ?? '' },
          typing,
        );
      } catch (err) {
        this.logger.warn({ err }, 'visitor typing could not be relayed');
      }
    });

    socket.on('contact', async (payload: unknown, ack?: unknown) => {
      const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
      const parsed = parseVisitorContact(payload);
      if (!parsed.ok)
        return reply({ error: { code: 'validation_failed', message: parsed.message } });
      try {
        await this.contacts.addCustomerDetails(session.contactId, parsed.value);
        reply({ ok: true });
      } catch (err) {
        this.logger.error({ err }, 'web-chat contact details could not be stored');
        reply({
          error: { code: 'internal', message: 'could not save your details; please try again' },
        });
      }
    });

    // Handlers are registered before the first await: a message sent right after `session`
    // must find its listener.
    socket.emit('session', {
      visitorToken: socket.data.token as string,
      conversationId: session.conversationId,
    });
    await this.replayHistory(socket, session.conversationId);
  }

  private async replayHistory(socket: Socket, conversationId: string): Promise<void> {
    const rows = await this.repo.listMessages(conversationId, {
      limit: HISTORY_LIMIT,
      includePrivate: false,
    });
    for (const row of rows) socket.emit('message', toVisitorEvent(row));
  }

  private async findInbox(inboxId: unknown): Promise<InboxRow | undefined> {
    const where = [eq(inboxes.channel, 'webchat'), eq(inboxes.enabled, true)];
    if (inboxId !== undefined && inboxId !== null && inboxId !== '') {
      if (typeof inboxId !== 'string' || !/^[0-9a-f-]{36}$/i.test(inboxId)) return undefined;
      where.push(eq(inboxes.id, inboxId));
    }
    const [row] = await this.db
      .select()
      .from(inboxes)
      .where(and(...where))
      .orderBy(inboxes.createdAt)
      .limit(1);
    return row;
  }

  pushToVisitor(visitorId: string, event: 'message', payload: VisitorMessageEvent): void {
    this.nsp?.to(visitorRoom(visitorId)).emit(event, payload);
  }

  agentTyping(conversationId: string, typing: boolean): void {
    this.nsp?.to(conversationRoom(conversationId)).emit('typing', { typing });
  }
}
