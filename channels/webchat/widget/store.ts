// The visitor's view of the conversation. DOM-free so the ordering, de-duplication and
// pending→acked hand-over can be unit-tested without a browser.
import type { AckError } from './util';

export type Direction = 'in' | 'out';

/** A `message` event from the `/webchat` namespace. */
export interface ServerMessage {
  id: string;
  text: string;
  direction: Direction;
  createdAt: string;
  /** Quick replies offered with the message (the bot's menu). */
  buttons?: QuickReply[];
}

export interface QuickReply {
  label: string;
  value: string;
}

/** The buttons of a message event, keeping only well-formed ones (at most 12). */
export function readButtons(value: unknown): QuickReply[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (b): b is QuickReply =>
        typeof b === 'object' &&
        b !== null &&
        typeof (b as QuickReply).label === 'string' &&
        typeof (b as QuickReply).value === 'string' &&
        (b as QuickReply).label.length > 0,
    )
    .slice(0, 12)
    .map((b) => ({ label: b.label, value: b.value }));
}

export type MessageState = 'sent' | 'pending' | 'failed';

export interface ChatMessage extends ServerMessage {
  state: MessageState;
  /** Why sending failed; kept raw so it is translated when shown (the locale can change). */
  error?: AckError;
  /** True for messages created in this page that the server has not confirmed yet. */
  local: boolean;
}

const LOCAL_PREFIX = 'local-';

/**
 * How far back a server echo may be dated and still be matched to a pending message by text.
 * It guards against an old history entry with the same text "claiming" a message sent just now.
 */
const ECHO_WINDOW_MS = 2 * 60_000;

export function isServerMessage(value: unknown): value is ServerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (typeof v.id === 'string' || typeof v.id === 'number') &&
    typeof v.text === 'string' &&
    (v.direction === 'in' || v.direction === 'out') &&
    typeof v.createdAt === 'string'
  );
}

export class MessageStore {
  /** Keyed by id: the server replays history on every (re)connect, so ids de-duplicate. */
  private readonly byId = new Map<string, ChatMessage>();
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): ChatMessage | undefined {
    return this.byId.get(id);
  }

  /**
   * Forgets everything the server sent (the conversation changed, e.g. the stored token was no
   * longer valid) but keeps what the visitor is still sending.
   */
  clearConfirmed(): void {
    for (const [id, m] of this.byId) if (!m.local) this.byId.delete(id);
  }

  /**
   * Adds or updates a message from the server. Returns the id of a pending local message the
   * server message replaced (when its echo arrived before the acknowledgement), else null.
   */
  receive(raw: ServerMessage): { replaced: string | null } {
    const id = String(raw.id);
    const buttons = readButtons(raw.buttons);
    const incoming: ChatMessage = {
      id,
      text: raw.text,
      direction: raw.direction,
      createdAt: raw.createdAt,
      state: 'sent',
      local: false,
      ...(buttons.length ? { buttons } : {}),
    };
    if (this.byId.has(id)) {
      this.byId.set(id, incoming);
      return { replaced: null };
    }
    const claimed = raw.direction === 'in' ? this.findPendingFor(incoming) : undefined;
    if (claimed) this.byId.delete(claimed.id);
    this.byId.set(id, incoming);
    return { replaced: claimed ? claimed.id : null };
  }

  /** A message the visitor just wrote, shown at once while the server has not confirmed it. */
  addPending(text: string): ChatMessage {
    this.counter += 1;
    const message: ChatMessage = {
      id: `${LOCAL_PREFIX}${this.now()}-${this.counter}`,
      text,
      direction: 'in',
      createdAt: new Date(this.now()).toISOString(),
      state: 'pending',
      local: true,
    };
    this.byId.set(message.id, message);
    return message;
  }

  /**
   * The server acknowledged a pending message with its real id. If the echo already arrived the
   * local copy is simply dropped, so the message is never shown twice.
   */
  ack(localId: string, serverId: string): ChatMessage | undefined {
    const local = this.byId.get(localId);
    if (!local) return this.byId.get(serverId);
    this.byId.delete(localId);
    const existing = this.byId.get(serverId);
    if (existing) return existing;
    const confirmed: ChatMessage = { ...local, id: serverId, state: 'sent', local: false };
    delete confirmed.error;
    this.byId.set(serverId, confirmed);
    return confirmed;
  }

  fail(localId: string, error: AckError): ChatMessage | undefined {
    const local = this.byId.get(localId);
    if (!local) return undefined;
    local.state = 'failed';
    local.error = error;
    return local;
  }

  /** Marks a failed message pending again before it is re-sent. */
  retry(localId: string): ChatMessage | undefined {
    const local = this.byId.get(localId);
    if (!local || local.state !== 'failed') return undefined;
    local.state = 'pending';
    delete local.error;
    return local;
  }

  /**
   * Oldest first by createdAt. Unconfirmed messages go last: their time comes from the visitor's
   * clock, which may disagree with the server's.
   */
  list(): ChatMessage[] {
    return [...this.byId.values()].sort((a, b) => {
      if (a.local !== b.local) return a.local ? 1 : -1;
      const ta = Date.parse(a.createdAt);
      const tb = Date.parse(b.createdAt);
      if (ta !== tb) return (Number.isNaN(ta) ? 0 : ta) - (Number.isNaN(tb) ? 0 : tb);
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  }

  /** Newest server-confirmed time, used to remember what the visitor has already seen. */
  latestCreatedAt(direction?: Direction): string | null {
    let latest: string | null = null;
    for (const m of this.byId.values()) {
      if (m.local || (direction && m.direction !== direction)) continue;
      if (latest === null || Date.parse(m.createdAt) > Date.parse(latest)) latest = m.createdAt;
    }
    return latest;
  }

  /** Business replies newer than `seenAt` (an ISO time, or null when nothing was seen yet). */
  unreadSince(seenAt: string | null): number {
    const seen = seenAt === null ? Number.NEGATIVE_INFINITY : Date.parse(seenAt);
    let count = 0;
    for (const m of this.byId.values()) {
      if (m.direction === 'out' && Date.parse(m.createdAt) > seen) count += 1;
    }
    return count;
  }

  private findPendingFor(incoming: ChatMessage): ChatMessage | undefined {
    const at = Date.parse(incoming.createdAt);
    for (const m of this.byId.values()) {
      if (!m.local || m.state !== 'pending' || m.text !== incoming.text) continue;
      if (Number.isNaN(at) || at >= Date.parse(m.createdAt) - ECHO_WINDOW_MS) return m;
    }
    return undefined;
  }
}
