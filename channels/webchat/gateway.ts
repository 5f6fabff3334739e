import type { Namespace, Server, Socket } from 'socket.io';
import type { InboundMessage } from '../types';
import type { WebchatTransport } from './definition';
import { parseVisitorContact, parseVisitorMessage } from './parse';
import { issueVisitorToken, verifyVisitorToken } from './verify';
import type { VisitorMessageEvent } from './visitor-event';

const visitorRoom = (id: string) => `visitor:${id}`;
const conversationRoom = (id: string) => `conversation:${id}`;
/** Per visitor socket: at most this many messages in a rolling 10 seconds. */
const BURST = 30;

/** What the web-chat gateway needs from the rest of the server (it touches no database). */
export interface WebchatPort {
  /** The enabled web-chat inbox with this id (or the first one when none is given). */
  inbox(inboxId: unknown): Promise<{ id: string } | undefined>;
  /** Read only: the visitor's latest conversation in this inbox, if they ever wrote. */
  session(
    inboxId: string,
    visitorId: string,
  ): Promise<{ contactId: string; conversationId: string } | undefined>;
  /** Stores a visitor's message (creating contact and conversation on the first one). */
  receive(
    inboxId: string,
    message: InboundMessage,
    conversationId: string | undefined,
  ): Promise<{ messageId: string; conversationId: string; contactId: string }>;
  history(conversationId: string): Promise<VisitorMessageEvent[]>;
  /** The visitor left a name and e-mail (offline form); returns their contact id. */
  saveDetails(visitorId: string, details: { name?: string; email: string }): Promise<string>;
  visitorTyping(
    session: { inboxId: string; conversationId: string; contactId: string },
    typing: boolean,
  ): Promise<void>;
  /** Called with every stored message a visitor may see (not private), after commit. */
  onVisibleMessage(listener: (conversationId: string, event: VisitorMessageEvent) => void): void;
  log: {
    error(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
  };
}

interface VisitorSession {
  visitorId: string;
  token: string;
  inboxId: string;
  /** Unknown until the visitor writes (or leaves details): opening the widget stores nothing. */
  contactId: string | undefined;
  conversationId: string | undefined;
  sent: number[];
}

type Ack = (response: unknown) => void;

/**
 * The `/webchat` namespace: the website widget's side of the web-chat channel. It verifies
 * visitor tokens, hands messages to the server through its port, and is the transport the
 * channel's instances send through. A page view costs a signed token and a socket: the contact
 * and the conversation are created with the visitor's first message.
 */
export class WebchatGateway implements WebchatTransport {
  private nsp: Namespace | undefined;

  constructor(
    private readonly port: WebchatPort,
    private readonly secret: string,
  ) {}

  init(io: Server): void {
    const nsp = (this.nsp = io.of('/webchat'));
    nsp.use(async (socket, next) => {
      try {
        const auth = (socket.handshake.auth ?? {}) as { visitorToken?: unknown; inboxId?: unknown };
        const inbox = await this.port.inbox(auth.inboxId);
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
        const existing = known ? await this.port.session(inbox.id, visitorId) : undefined;
        const session: VisitorSession = {
          visitorId,
          token,
          inboxId: inbox.id,
          contactId: existing?.contactId,
          conversationId: existing?.conversationId,
          sent: [],
        };
        socket.data.session = session;
        await socket.join(
          existing
            ? [visitorRoom(visitorId), conversationRoom(existing.conversationId)]
            : [visitorRoom(visitorId)],
        );
        next();
      } catch (err) {
        this.port.log.error({ err }, 'web-chat handshake failed');
        next(
          Object.assign(new Error('internal'), {
            data: { code: 'internal', message: 'could not start the chat session' },
          }),
        );
      }
    });
    nsp.on('connection', (socket) => void this.onConnection(socket));
    this.port.onVisibleMessage((conversationId, event) => {
      // The visitor's own messages reach their other tabs; replies arrive through send().
      if (event.direction === 'in') nsp.to(conversationRoom(conversationId)).emit('message', event);
    });
  }

  private async onConnection(socket: Socket): Promise<void> {
    const session = socket.data.session as VisitorSession;
    const emitSession = () =>
      socket.emit('session', {
        visitorToken: session.token,
        conversationId: session.conversationId ?? null,
      });

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
        const stored = await this.port.receive(
          session.inboxId,
          parsed.value,
          session.conversationId,
        );
        session.contactId = stored.contactId;
        if (stored.conversationId !== session.conversationId) {
          // The first message, or the old conversation was closed long ago and this opened a
          // new one: the visitor's tabs follow the conversation they now write in.
          if (session.conversationId)
            await this.nsp
              ?.in(visitorRoom(session.visitorId))
              .socketsLeave(conversationRoom(session.conversationId));
          session.conversationId = stored.conversationId;
          await this.nsp
            ?.in(visitorRoom(session.visitorId))
            .socketsJoin(conversationRoom(stored.conversationId));
          this.nsp?.to(visitorRoom(session.visitorId)).emit('session', {
            visitorToken: session.token,
            conversationId: stored.conversationId,
          });
        }
        reply({ id: stored.messageId });
      } catch (err) {
        this.port.log.error({ err }, 'web-chat message could not be stored');
        reply({
          error: { code: 'internal', message: 'the message could not be stored; please try again' },
        });
      }
    });

    socket.on('typing', async (payload: unknown) => {
      const typing = (payload as { typing?: unknown } | null)?.typing;
      if (typeof typing !== 'boolean' || !session.conversationId || !session.contactId) return;
      try {
        await this.port.visitorTyping(
          {
            inboxId: session.inboxId,
            conversationId: session.conversationId,
            contactId: session.contactId,
          },
          typing,
        );
      } catch (err) {
        this.port.log.warn({ err }, 'visitor typing could not be relayed');
      }
    });

    socket.on('contact', async (payload: unknown, ack?: unknown) => {
      const reply: Ack = typeof ack === 'function' ? (ack as Ack) : () => undefined;
      const parsed = parseVisitorContact(payload);
      if (!parsed.ok)
        return reply({ error: { code: 'validation_failed', message: parsed.message } });
      try {
        session.contactId = await this.port.saveDetails(session.visitorId, parsed.value);
        reply({ ok: true });
      } catch (err) {
        this.port.log.error({ err }, 'web-chat contact details could not be stored');
        reply({
          error: { code: 'internal', message: 'could not save your details; please try again' },
        });
      }
    });

    // An event nobody handles still gets an answer, so a widget never waits for nothing.
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1);
      if (!['message', 'typing', 'contact'].includes(event) && typeof ack === 'function')
        (ack as Ack)({
          error: { code: 'unknown_event', message: `no such event: ${event.slice(0, 100)}` },
        });
    });

    // Handlers are registered before the first await: a message sent right after `session`
    // must find its listener.
    emitSession();
    if (session.conversationId) {
      for (const event of await this.port.history(session.conversationId))
        socket.emit('message', event);
    }
  }

  pushToVisitor(visitorId: string, event: 'message', payload: VisitorMessageEvent): void {
    this.nsp?.to(visitorRoom(visitorId)).emit(event, payload);
  }

  agentTyping(conversationId: string, typing: boolean): void {
    this.nsp?.to(conversationRoom(conversationId)).emit('typing', { typing });
  }
}
