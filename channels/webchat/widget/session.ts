// The visitor's connection to the server's `/webchat` namespace: the socket, the visitor token,
// reconnecting after refusals, and acknowledged requests.
import { io, type Socket } from 'socket.io-client';
import { ackId, readSession, readTyping, retryDelay } from './protocol';
import { storageGet, storageSet } from './storage';
import { isServerMessage, type ServerMessage } from './store';
import { ackError, TOKEN_KEY, type AckError } from './util';

/** How long to wait for the server to acknowledge a message or the contact form. */
const ACK_TIMEOUT_MS = 20_000;
/** Offer the e-mail form once the connection has been gone this long. */
const OFFLINE_FORM_DELAY_MS = 5_000;

export type Connection = 'idle' | 'connecting' | 'online' | 'offline';

export interface SessionEvents {
  connection(state: Connection): void;
  /** Still offline a while after the connection went: time to offer the e-mail form. */
  longOutage(): void;
  /** The server named the visitor's conversation; `changed` when it is not the one before. */
  conversation(id: string | null, changed: boolean): void;
  message(message: ServerMessage): void;
  agentTyping(typing: boolean): void;
}

/** The request's outcome: a timeout or the server's error, else the server's id (if any). */
export type Reply = (error: AckError | null, id: string | null) => void;

export function createSession(base: string, inboxId: string | undefined, on: SessionEvents) {
  let connection: Connection = 'idle';
  let socket: Socket | null = null;
  let conversationId: string | null = null;
  let offlineTimer: ReturnType<typeof setTimeout> | null = null;

  const auth: { visitorToken?: string; inboxId?: string } = {};
  const storedToken = storageGet(TOKEN_KEY);
  if (storedToken) auth.visitorToken = storedToken;
  if (inboxId) auth.inboxId = inboxId;

  function setConnection(next: Connection): void {
    connection = next;
    if (next === 'offline') {
      // A short blip should not push a form at the visitor; a longer outage should.
      offlineTimer ??= setTimeout(() => {
        offlineTimer = null;
        if (connection === 'offline') on.longOutage();
      }, OFFLINE_FORM_DELAY_MS);
    } else if (offlineTimer !== null) {
      clearTimeout(offlineTimer);
      offlineTimer = null;
    }
    on.connection(next);
  }

  function connect(): Socket {
    if (socket) return socket;
    setConnection('connecting');
    const s = io(`${base}/webchat`, {
      auth,
      transports: ['websocket', 'polling'],
    });
    socket = s;

    // The client retries network failures by itself, but not a refusal by the server or a
    // server-side disconnect; retry those too, backing off.
    let refusals = 0;
    const retryLater = (): void => {
      refusals += 1;
      setTimeout(() => s.connect(), retryDelay(refusals));
    };
    s.on('connect', () => {
      refusals = 0;
      setConnection('online');
    });
    s.on('disconnect', (reason) => {
      setConnection('offline');
      on.agentTyping(false);
      if (reason === 'io server disconnect') retryLater();
    });
    s.on('connect_error', () => {
      setConnection('offline');
      if (!s.active) retryLater();
    });

    s.on('session', (payload: unknown) => {
      const session = readSession(payload);
      if (!session) return;
      if (session.visitorToken) {
        auth.visitorToken = session.visitorToken; // reused by automatic reconnects
        storageSet(TOKEN_KEY, session.visitorToken);
      }
      const next = session.conversationId;
      const changed = conversationId !== null && next !== conversationId;
      conversationId = next;
      on.conversation(next, changed);
    });
    s.on('message', (payload: unknown) => {
      if (isServerMessage(payload)) on.message(payload);
    });
    s.on('typing', (payload: unknown) => on.agentTyping(readTyping(payload)));

    return s;
  }

  return {
    get connection(): Connection {
      return connection;
    },
    /** Whether this browser has a conversation to resume. */
    get returning(): boolean {
      return Boolean(auth.visitorToken);
    },
    connect(): void {
      connect();
    },
    /** Sends an event that the server acknowledges, connecting first if need be. */
    request(event: 'message' | 'contact', payload: object, reply: Reply): void {
      connect()
        .timeout(ACK_TIMEOUT_MS)
        .emit(event, payload, (err: Error | null, ack: unknown) =>
          reply(err ? { code: 'timeout' } : ackError(ack), ackId(ack)),
        );
    },
    typing(value: boolean): void {
      // Volatile: a typing hint that cannot be delivered now is worthless later.
      if (socket?.connected) socket.volatile.emit('typing', { typing: value });
    },
  };
}

export type Session = ReturnType<typeof createSession>;
