import type { z } from 'zod';
import type { ChannelKind, IdentityKind, IdentityState } from '../src/db/schema';

export type { ChannelKind, IdentityKind, IdentityState };

/**
 * The channel kit: what every channel folder exports and what the channel host expects. A channel
 * verifies, parses and sends; it never touches the database or sockets. Whatever it needs from
 * outside (an HTTP client, a socket transport) is given to its definition by the composition root.
 */

export interface InboundAttachment {
  fileName: string;
  contentType: string;
  /** Bytes already received (e-mail, upload). */
  data?: Buffer;
  /** Or what the channel's `fetchMedia` needs to fetch the file later (a file id, a URL). */
  ref?: MediaRef;
  /** Size announced by the provider, when known (checked against the limit before fetching). */
  size?: number;
  /** Content-ID of an inline part (e-mail `cid:` images), so the app can show it in place. */
  contentId?: string;
  /** Why the file is not kept (neither `data` nor `ref`): shown to agents, e.g. a refused URL. */
  error?: string;
}

/** A channel's own handle on a remote file. Opaque to everything but that channel. */
export type MediaRef = Record<string, string | number | boolean | null>;

/** What every channel's parser produces for a customer's message: the one shape ingest takes. */
export interface InboundMessage {
  sender: { kind: IdentityKind; value: string; name?: string };
  /** Provider id of the message: the same message delivered twice carries the same id. */
  providerMessageId: string;
  /** Channel thread (e-mail subject key, Telegram group chat id); absent = one thread per contact. */
  threadKey?: string;
  /**
   * The id other messages use to refer to this one, when it is not `providerMessageId` (e-mail:
   * the Message-ID; the provider id adds a content fingerprint for senders that reuse one).
   */
  externalId?: string;
  /**
   * Threading by reference (e-mail), instead of the contact's latest conversation: in this
   * order, a conversation of the same contact holding one of `references` (external ids of
   * inbound messages, provider ids of outbound ones, nearest first); one of `conversationIds`
   * (reply tokens) of the same contact; the contact's conversation with the same `threadKey`
   * active within `windowDays`; else a new conversation. Another contact's conversation never
   * takes the message.
   */
  thread?: { references: string[]; conversationIds: string[]; windowDays: number };
  /** `channelRef` updates the conversation's on every message (a shallow merge), not only the first. */
  mergeChannelRef?: boolean;
  /** Other people on the message (e-mail CC): each becomes an identity of a contact of its own. */
  participants?: { kind: IdentityKind; value: string; name?: string }[];
  subject?: string;
  text: string;
  html?: string;
  attachments: InboundAttachment[];
  receivedAt?: Date;
  /** What a reply in this conversation needs (chat id, thread root, call sid, service URL). */
  channelRef?: Record<string, unknown>;
  /** Channel facts worth keeping on the message (reply-to, e-mail headers, edited flag). */
  meta?: Record<string, unknown>;
  /** Hints for the customer's profile (language code, username). */
  profile?: { language?: string; username?: string };
  /**
   * More identities the customer proved on this channel (a Telegram user sharing their own phone
   * number): added to the sender's contact. One that already belongs to another contact is not
   * moved (merging is a person's decision); it is noted as `mergeHints` on the message's meta.
   */
  extraIdentities?: { kind: IdentityKind; value: string }[];
  /**
   * Set when the provider delivers one message in several parts that share `providerMessageId`
   * (a Telegram album: one update per photo). The first part stored becomes the message; each
   * later part, once per `key`, appends its text and attachments to it.
   */
  part?: { key: string };
  /** The provider's payload as received, kept for support and audit. */
  raw?: unknown;
  /**
   * `system`: not the customer's words but what the channel observed about them (a call started,
   * a menu choice, a call's outcome): stored with sender type `system`, in the sender's
   * conversation, like any other inbound message.
   */
  kind?: 'system';
  /** Labels this message puts on its conversation (e.g. `callback_requested`). */
  labels?: string[];
  /**
   * An automatic answer the platform posts in the conversation (sender `system`) once this
   * message is stored for the first time, unless the customer cannot be reached there.
   */
  autoReply?: { text: string };
}

/** Outbound delivery states a provider reports, in the order a message moves through them. */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** Everything a channel's parser can recognise in a payload. */
export type ParsedEvent =
  | { type: 'message'; message: InboundMessage }
  | {
      type: 'edit';
      providerMessageId: string;
      sender: { kind: IdentityKind; value: string };
      text: string;
      editedAt: Date;
    }
  | {
      type: 'status';
      providerMessageId: string;
      status: DeliveryStatus;
      error?: { code?: string; message: string };
      at?: Date;
    }
  | {
      type: 'identity';
      identity: { kind: IdentityKind; value: string };
      state: IdentityState;
      reason?: string;
    }
  | {
      /**
       * The customer redeemed a link an agent made for a contact (a Telegram `/start` deep link):
       * `token` is the link token's id, already checked against its signature (see
       * `channels/link-token.ts`); the host attaches `identity` to that contact once.
       */
      type: 'link';
      token: string;
      identity: { kind: IdentityKind; value: string };
    };

/** Thrown by `parse` for a payload it cannot make sense of: recorded, never retried forever. */
export class ChannelParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelParseError';
  }
}

/** An HTTP request as a webhook sees it; `url` is the public URL the provider called. */
export interface WebhookRequest {
  method: string;
  /** The path below `/webhooks/<provider>[/<inboxId>]`, e.g. `sms`, `status` or `` (empty). */
  subPath: string;
  /** PUBLIC_URL + original path + query: what the provider signed. */
  url: string;
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string>>;
  rawBody: Buffer;
  /** Parsed body: JSON object or form fields. */
  body: unknown;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** A synchronous answer to a webhook, when the provider reads one (TwiML). */
export interface WebhookResponse {
  status: number;
  contentType?: string;
  body?: string;
}

export interface OutboundAttachment {
  fileName: string;
  contentType: string;
  /** Absolute path of the stored file. */
  path: string;
  size: number;
  /** Public URL of the file, for providers that fetch media themselves (MMS). */
  publicUrl?: string;
}

export interface OutboundMessage {
  messageId: string;
  conversationId: string;
  inboxId: string;
  /** The identity the conversation came from. */
  recipient: { kind: IdentityKind; value: string };
  threadKey: string | null;
  channelRef: Record<string, unknown> | null;
  subject: string | null;
  text: string;
  attachments: OutboundAttachment[];
  /** Bot menus: buttons rendered natively where the channel has them. */
  buttons?: { label: string; value: string }[];
  meta?: Record<string, unknown>;
  /** Who wrote it (the agent's name), for channels that show a sender's name. */
  senderName?: string | null;
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
    public readonly opts: {
      /** Try again no sooner than this (e.g. Telegram's retry_after). */
      retryAfterMs?: number;
      /** The recipient cannot be reached any more on this identity. */
      identityState?: IdentityState;
      code?: string;
    } = {},
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}

export interface FetchedMedia {
  data: Buffer;
  contentType: string;
  fileName?: string;
}

/** A media file refused because it is larger than allowed. */
export class MediaTooLargeError extends Error {
  constructor(
    public readonly size: number,
    public readonly limit: number,
  ) {
    super(`the file is ${size} bytes, over the limit of ${limit}`);
    this.name = 'MediaTooLargeError';
  }
}

/** What a long-lived receiver (long polling, IMAP IDLE) gets from the host. */
export interface ReceiverContext {
  /** Aborted when the receiver must stop (lease lost, inbox changed, shutdown). */
  signal: AbortSignal;
  /** The inbox's channel state as last saved (poll offset, IMAP cursor). */
  state: Readonly<Record<string, unknown>>;
  /**
   * Hands parsed events to the host, which stores them; then saves `nextState` (the cursor) in
   * the same breath. Resolves once stored: only then may the receiver move past them.
   */
  deliver(events: ParsedEvent[], nextState?: Record<string, unknown>): Promise<void>;
  saveState(state: Record<string, unknown>): Promise<void>;
  /** Connected / failing, with a reason admins can read; `detail` e.g. import progress. */
  health(status: 'connected' | 'failing', error?: string, detail?: Record<string, unknown>): void;
}

export interface ChannelReceiver {
  /** Runs until `ctx.signal` is aborted; throwing means "failed, try again later". */
  run(ctx: ReceiverContext): Promise<void>;
}

/** One live inbox: created by its definition from the inbox and its decrypted credentials. */
export interface ChannelInstance {
  verify?(req: WebhookRequest): VerifyResult;
  /**
   * Payload → events. Throws ChannelParseError for what it cannot read. Keep the parsing itself
   * pure; a channel whose events depend on what it was told before (an IVR's call so far) may
   * look that up first and so answer a promise.
   */
  parse?(req: WebhookRequest): ParsedEvent[] | Promise<ParsedEvent[]>;
  /** The webhook's answer, once the events are stored (TwiML for voice). Default: 200 empty. */
  respond?(req: WebhookRequest, events: ParsedEvent[]): WebhookResponse | Promise<WebhookResponse>;
  send(message: OutboundMessage, opts: { signal: AbortSignal }): Promise<SendResult>;
  receiver?: ChannelReceiver;
  fetchMedia?(
    ref: MediaRef,
    opts: { signal: AbortSignal; maxBytes: number },
  ): Promise<FetchedMedia>;
  /** Shows "typing…" to the customer, where the channel can. */
  typing?(
    target: { conversationId: string; channelRef: Record<string, unknown> | null },
    typing: boolean,
  ): void;
  /**
   * A link that opens a chat with this inbox and hands `payload` to it (Telegram's
   * `t.me/<bot>?start=<payload>`), for an agent to send to a customer.
   */
  deepLink?(payload: string, opts: { signal: AbortSignal }): Promise<string>;
  /** Called when the instance is replaced or the inbox removed. */
  close?(): Promise<void>;
}

export interface InboxInfo {
  id: string;
  name: string;
  channel: ChannelKind;
  settings: Readonly<Record<string, unknown>>;
  /** PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /**
   * Where the router answers this inbox's webhooks, without a sub-path and trailing slash:
   * `PUBLIC_URL/webhooks/<provider>` for the inbox made from environment variables,
   * `PUBLIC_URL/webhooks/<provider>/<inboxId>` for the others. Absent for kinds without webhooks.
   */
  webhookUrl?: string;
}

/** Environment variables that are set but wrong: start-up stops with this message. */
export class ChannelEnvError extends Error {
  constructor(
    public readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ChannelEnvError';
  }
}

/** What an environment-configured inbox looks like (CONTRACT: channels set by variables). */
export interface EnvInboxSpec {
  name: string;
  credentials: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

/** One channel kind: its credentials, how it is reached, and how an instance is made. */
export interface ChannelDefinition<C extends Record<string, unknown> = Record<string, unknown>> {
  kind: ChannelKind;
  /** "Telegram", "SMS", "E-mail": shown to agents. */
  displayName: string;
  /** Which identity kind its customers have, and replies go to. */
  recipientKind: IdentityKind;
  supportsTyping: boolean;
  /**
   * `send` only hands the message to a live transport that replays what a customer missed when
   * they come back (the web widget): a reply may then be recorded sent as it commits and pushed
   * right after, without a delivery job.
   */
  sendsAtCommit?: boolean;
  /** Conversations keyed by thread (a group chat) rather than by contact. */
  threaded: boolean;
  /** Per inbox, when its settings decide (a Telegram bot that serves groups); else `threaded`. */
  threadedFor?(settings: Readonly<Record<string, unknown>>): boolean;
  /** The credentials document (zod): validated on save, stored encrypted, never returned. */
  credentials: z.ZodType<C>;
  /** Keys of `settings` in the API that are credentials (write-only). */
  credentialKeys: readonly string[];
  /** Webhook routing: `/webhooks/<provider>[/<inboxId>]/<subPath>`; subPaths this kind answers. */
  webhook?: { provider: string; subPaths: readonly string[] };
  /** The provider-side identity of the inbox (bot id, number, address), unique per kind. */
  routingKey?(credentials: C): string | null;
  /** Checks credentials against the provider before they are saved; may suggest a name. */
  validate?(credentials: C, opts: { signal: AbortSignal }): Promise<{ name?: string } | void>;
  /** The inbox that environment variables describe, if they are set. Throws naming a variable. */
  fromEnv?(env: Readonly<Record<string, unknown>>): EnvInboxSpec | undefined;
  create(inbox: InboxInfo, credentials: C): ChannelInstance;
}
