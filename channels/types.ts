import type { ChannelKind, IdentityKind } from '../src/db/schema';

export type { ChannelKind, IdentityKind };

export interface InboundAttachment {
  fileName: string;
  contentType: string;
  /** Bytes already received (email, upload); otherwise `url` says where the provider keeps it. */
  data?: Buffer;
  url?: string;
}

/** What every channel's parser produces: the one shape ingest understands. */
export interface InboundMessage {
  channel: ChannelKind;
  sender: { kind: IdentityKind; value: string; name?: string };
  /** Provider id of the message: the same message delivered twice carries the same id. */
  providerMessageId: string;
  /** Channel thread (email root Message-ID, Telegram chat id); null = one thread per contact. */
  threadKey?: string;
  subject?: string;
  text: string;
  html?: string;
  attachments: InboundAttachment[];
  receivedAt?: Date;
  /** The provider's payload as received, kept for support and audit. */
  raw?: unknown;
}

export interface OutboundMessage {
  messageId: string;
  conversationId: string;
  inboxId: string;
  /** The customer's identity on this channel. */
  recipient: { kind: IdentityKind; value: string };
  threadKey: string | null;
  subject: string | null;
  text: string;
  attachments: { fileName: string; contentType: string; path: string | null; url: string }[];
  createdAt: Date;
}

export interface SendResult {
  /** The provider's id for the sent message (kept for delivery-status callbacks). */
  providerMessageId?: string;
}

/** A send that failed; `retryable` says whether trying again later may succeed. */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    public readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

/**
 * A channel adapter verifies, parses and sends. It never touches the database or sockets: what
 * it needs from the outside (an HTTP client, a socket transport) arrives through its constructor.
 */
export interface ChannelAdapter {
  readonly kind: ChannelKind;
  send(message: OutboundMessage): Promise<SendResult>;
}

export class ChannelRegistry {
  private readonly adapters = new Map<ChannelKind, ChannelAdapter>();

  register(adapter: ChannelAdapter): void {
    if (this.adapters.has(adapter.kind))
      throw new Error(`channel ${adapter.kind} is registered twice`);
    this.adapters.set(adapter.kind, adapter);
  }

  get(kind: ChannelKind): ChannelAdapter | undefined {
    return this.adapters.get(kind);
  }

  kinds(): ChannelKind[] {
    return [...this.adapters.keys()];
  }
}
