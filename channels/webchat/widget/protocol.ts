// Reads what the `/webchat` namespace sends, defensively: a malformed event is ignored rather than
// trusted. DOM-free so it can be unit-tested in node.

export interface SessionInfo {
  /** Kept for automatic reconnects and the next visit; null when the server sent none. */
  visitorToken: string | null;
  conversationId: string | null;
}

/** The `session` event: the visitor's token and current conversation. */
export function readSession(payload: unknown): SessionInfo | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { visitorToken, conversationId } = payload as Record<string, unknown>;
  return {
    visitorToken: typeof visitorToken === 'string' && visitorToken ? visitorToken : null,
    conversationId:
      typeof conversationId === 'string' || typeof conversationId === 'number'
        ? String(conversationId)
        : null,
  };
}

/** The `typing` event: whether an agent is typing now. */
export function readTyping(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && 'typing' in payload
    ? Boolean((payload as { typing: unknown }).typing)
    : false;
}

/** The server's id for a message, from its acknowledgement `{id}`; null when there is none. */
export function ackId(ack: unknown): string | null {
  const id = typeof ack === 'object' && ack !== null ? (ack as { id?: unknown }).id : undefined;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

/**
 * How long to wait before connecting again after the `refusals`-th refusal in a row: doubling
 * from 5 s, at most 60 s, so a refusing server is not hammered.
 */
export function retryDelay(refusals: number): number {
  return Math.min(60_000, 2_500 * 2 ** Math.min(refusals, 5));
}
