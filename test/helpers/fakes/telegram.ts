import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import type {
  Chat,
  Document,
  File,
  PhotoSize,
  Update,
  User,
  UserFromGetMe,
  WebhookInfo,
} from 'telegraf/types';
import {
  CallLog,
  decodeBody,
  dropConnection,
  listen,
  sendJson,
  sleep,
  type BodyEncoding,
  type UploadedFile,
} from './http';

/**
 * A fake Telegram Bot API server: `/bot<token>/<method>` and `/file/bot<token>/<file_path>` on
 * 127.0.0.1, answering in Telegram's envelope with Telegram's own error texts. Point a client at
 * it with the API root (`TELEGRAM_API_ROOT`, telegraf's `{ telegram: { apiRoot } }`).
 *
 * Behaviour copied from the Bot API server (tdlib/telegram-bot-api): a second long poll ends the
 * waiting one with 409; setWebhook ends it with 409 too; getUpdates while a webhook is set is a
 * 409; errors carry the HTTP status of their `error_code`, and a 429 carries `Retry-After`.
 */

// ---- public types ------------------------------------------------------------------------------

export interface FakeBot {
  token: string;
  id: number;
  username: string;
  firstName: string;
  canJoinGroups?: boolean;
  canReadAllGroupMessages?: boolean;
}

export interface TelegramErrorBody {
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/**
 * What `failNext` makes the next call of a method do: answer with an error (optionally late),
 * answer normally but late, or close the connection without answering.
 */
export type TelegramFault =
  (TelegramErrorBody & { delayMs?: number }) | { delayMs: number } | { drop: true };

/** Errors as Telegram words them (`error_code` is also the HTTP status). */
export const TelegramErrors = {
  tooManyRequests: (retryAfter: number): TelegramErrorBody => ({
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  }),
  blockedByUser: {
    error_code: 403,
    description: 'Forbidden: bot was blocked by the user',
  } satisfies TelegramErrorBody,
  userDeactivated: {
    error_code: 403,
    description: 'Forbidden: user is deactivated',
  } satisfies TelegramErrorBody,
  chatNotFound: {
    error_code: 400,
    description: 'Bad Request: chat not found',
  } satisfies TelegramErrorBody,
  unauthorized: { error_code: 401, description: 'Unauthorized' } satisfies TelegramErrorBody,
  internal: {
    error_code: 500,
    description: 'Internal Server Error',
  } satisfies TelegramErrorBody,
} as const;

/** One request the fake received. `response` is filled in when it is answered. */
export interface TelegramCall {
  /** The method as the client spelled it in the path (Telegram ignores its case). */
  method: string;
  token: string;
  httpMethod: string;
  encoding: BodyEncoding;
  /**
   * Parameters from the query and the body. Form and multipart values are strings on the wire;
   * here integer-looking ids and counters are numbers and JSON-serialized fields
   * (`reply_markup`, `media`, `allowed_updates`, ...) are parsed, so a JSON call and a
   * multipart call of the same method look alike.
   */
  params: Record<string, unknown>;
  files: UploadedFile[];
  /** True when the call came back in a webhook's HTTP response, not as a request. */
  viaWebhookReply: boolean;
  at: Date;
  response?: { status: number; body: unknown } | { dropped: true };
}

/** An update queued for a bot, with the `update_id` the fake gave it. */
export type StoredUpdate = { update_id: number } & Record<string, unknown>;

type WithoutId<U> = U extends unknown ? Omit<U, 'update_id'> & { update_id?: number } : never;
/**
 * An update as telegraf types it (Bot API 7.1), or any newer kind as a plain object. A given
 * `update_id` is kept when it is above the bot's last one; otherwise the next id is used.
 */
export type UpdateInput = WithoutId<Update> | ({ update_id?: number } & Record<string, unknown>);

export interface FakeFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  bytes: Buffer;
  mimeType?: string;
}

export interface WebhookState {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  max_connections: number;
  ip_address?: string;
  has_custom_certificate: boolean;
  drop_pending_updates: boolean;
  setAt: Date;
}

/** One attempt of the fake to deliver a queued update to the bot's webhook. */
export interface WebhookDelivery {
  token: string;
  url: string;
  update: StoredUpdate;
  status?: number;
  error?: string;
}

/** A message the fake answered a send method with (and keeps, for edits and assertions). */
export interface SentMessage {
  message_id: number;
  from: User;
  chat: Chat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: unknown[];
  caption?: string;
  caption_entities?: unknown[];
  photo?: PhotoSize[];
  document?: Document;
  media_group_id?: string;
  reply_to_message?: Record<string, unknown>;
  reply_markup?: unknown;
}

export interface FakeTelegramOptions {
  /** Deliver queued updates to a bot's webhook once one is set, as Telegram does. Default true. */
  deliverWebhooks?: boolean;
  /** Pause between two delivery attempts of an update the webhook refused. Default 100 ms. */
  webhookRetryMs?: number;
  /** Attempts per update before the fake gives up on it. Default 20. */
  webhookMaxAttempts?: number;
  /**
   * Answer "chat not found" for chats the bot has not seen in an update or `addChat`.
   * Default false: an unknown positive id is taken for a private chat, a negative one for a group.
   */
  strictChats?: boolean;
}

export interface FakeTelegram {
  /** The API root, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  readonly url: string;
  readonly calls: readonly TelegramCall[];
  readonly deliveries: readonly WebhookDelivery[];
  addBot(bot: FakeBot): void;
  addChat(token: string, chat: Chat): void;
  addFile(token: string, file: FakeFile): void;
  /** Queues an update for getUpdates, or for the webhook when one is set. */
  queueUpdate(token: string, update: UpdateInput): StoredUpdate | undefined;
  /** Updates not yet confirmed (polling) or not yet delivered (webhook). */
  pendingUpdates(token: string): StoredUpdate[];
  webhook(token: string): WebhookState | undefined;
  /** Fields that getWebhookInfo reports on top of the real state (errors, counts). */
  setWebhookInfo(token: string, info: Partial<WebhookInfo>): void;
  failNext(token: string, method: string, fault: TelegramFault): void;
  /** From now on every send to this chat is 403 "bot was blocked by the user". */
  blockChat(token: string, chatId: number): void;
  unblockChat(token: string, chatId: number): void;
  /** Answers a method the fake does not implement with this result. */
  stub(method: string, result: unknown | ((call: TelegramCall) => unknown)): void;
  sentMessages(token: string, chatId?: number): SentMessage[];
  waitForCall(
    predicate: (call: TelegramCall) => boolean,
    timeoutMs?: number,
  ): Promise<TelegramCall>;
  waitForDelivery(
    predicate: (delivery: WebhookDelivery) => boolean,
    timeoutMs?: number,
  ): Promise<WebhookDelivery>;
  close(): Promise<void>;
}

/**
 * POSTs an update the way Telegram calls a webhook: JSON body and, when the webhook was set
 * with a secret, the `X-Telegram-Bot-Api-Secret-Token` header.
 */
export function postWebhook(
  url: string,
  update: UpdateInput | StoredUpdate,
  secret?: string,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(update) });
}

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new TelegramServer(options);
  await fake.start();
  return fake;
}

// ---- implementation ----------------------------------------------------------------------------

class ApiError extends Error {
  constructor(readonly body: TelegramErrorBody) {
    super(body.description);
  }
}

const badRequest = (description: string) =>
  new ApiError({ error_code: 400, description: `Bad Request: ${description}` });
const conflict = (description: string) =>
  new ApiError({ error_code: 409, description: `Conflict: ${description}` });

interface Outcome {
  result: unknown;
  description?: string;
}

interface ParkedPoll {
  limit: number;
  finish: (outcome: Outcome | ApiError) => void;
}

interface BotState {
  info: FakeBot;
  user: User;
  updates: StoredUpdate[];
  nextUpdateId: number;
  /** undefined = Telegram's default: everything but chat_member and reactions. */
  allowedUpdates: string[] | undefined;
  webhook: WebhookState | undefined;
  webhookInfoOverrides: Partial<WebhookInfo>;
  lastWebhookError: { date: number; message: string } | undefined;
  delivering: boolean;
  poll: ParkedPoll | undefined;
  faults: Map<string, TelegramFault[]>;
  chats: Map<number, Chat>;
  blocked: Set<number>;
  nextMessageId: Map<number, number>;
  sent: SentMessage[];
  files: Map<string, FakeFile>;
}

type Handler = (bot: BotState, call: TelegramCall, signal: AbortSignal) => Promise<Outcome>;

/** Longest long poll the Bot API server allows (LONG_POLL_MAX_TIMEOUT). */
const LONG_POLL_MAX_SECONDS = 50;
/** getFile refuses files over 20 MB on the hosted Bot API. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const TOKEN_FORMAT = /^\d+:[\w-]+$/;
const DEFAULT_EXCLUDED_UPDATES = ['chat_member', 'message_reaction', 'message_reaction_count'];
const JSON_FIELDS = new Set([
  'reply_markup',
  'entities',
  'caption_entities',
  'media',
  'allowed_updates',
  'link_preview_options',
  'reply_parameters',
  'results',
]);
const INTEGER_FIELDS = new Set([
  'chat_id',
  'from_chat_id',
  'message_id',
  'message_thread_id',
  'reply_to_message_id',
  'offset',
  'limit',
  'timeout',
  'max_connections',
  'cache_time',
]);
const FILE_ID_PREFIX: Record<string, string> = {
  photo: 'AgACAgIAAxkBAAI',
  document: 'BQACAgIAAxkBAAI',
  video: 'BAACAgIAAxkBAAI',
  audio: 'CQACAgIAAxkBAAI',
  voice: 'AwACAgIAAxkBAAI',
};
const MIME_BY_EXTENSION: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.zip': 'application/zip',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
};

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function int(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value))
    : undefined;
}

function normalizeParams(fields: Array<[string, unknown]>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of fields) {
    let normalized = value;
    if (typeof value === 'string') {
      if (JSON_FIELDS.has(key) && /^\s*[[{]/.test(value)) {
        try {
          normalized = JSON.parse(value);
        } catch {
          normalized = value;
        }
      } else if (INTEGER_FIELDS.has(key) && /^-?\d+$/.test(value)) {
        normalized = Number(value);
      }
    }
    params[key] = normalized;
  }
  return params;
}

/** A Chat rebuilt field by field from an update's JSON (undefined when it is not one). */
function chatFrom(raw: Record<string, unknown> | undefined): Chat | undefined {
  const id = int(raw?.id);
  if (!raw || id === undefined) return undefined;
  const username = str(raw.username);
  const named = username ? { username } : {};
  const title = str(raw.title) ?? '';
  switch (raw.type) {
    case 'private': {
      const lastName = str(raw.last_name);
      return {
        id,
        type: 'private',
        first_name: str(raw.first_name) ?? '',
        ...(lastName ? { last_name: lastName } : {}),
        ...named,
      };
    }
    case 'group':
      return { id, type: 'group', title };
    case 'supergroup':
      return { id, type: 'supergroup', title, ...named };
    case 'channel':
      return { id, type: 'channel', title, ...named };
    default:
      return undefined;
  }
}

function updateKind(update: Record<string, unknown>): string | undefined {
  return Object.keys(update).find((key) => key !== 'update_id');
}

function randomId(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

class TelegramServer implements FakeTelegram {
  url = '';
  private readonly log = new CallLog<TelegramCall>();
  private readonly deliveryLog = new CallLog<WebhookDelivery>();
  private readonly bots = new Map<string, BotState>();
  private readonly stubs = new Map<string, unknown | ((call: TelegramCall) => unknown)>();
  private readonly handlers: Record<string, Handler>;
  private closeServer: () => Promise<void> = async () => undefined;
  private closed = false;
  private fileCounter = 0;

  constructor(private readonly options: FakeTelegramOptions) {
    this.handlers = {
      getme: async (bot) => ({ result: this.getMe(bot) }),
      setwebhook: async (bot, call) => this.setWebhook(bot, call),
      deletewebhook: async (bot, call) => this.deleteWebhook(bot, call),
      getwebhookinfo: async (bot) => ({ result: this.webhookInfo(bot) }),
      getupdates: (bot, call, signal) => this.getUpdates(bot, call, signal),
      sendmessage: async (bot, call) => ({ result: this.sendMessage(bot, call) }),
      sendphoto: async (bot, call) => ({ result: this.sendPhoto(bot, call) }),
      senddocument: async (bot, call) => ({ result: this.sendDocument(bot, call) }),
      sendmediagroup: async (bot, call) => ({ result: this.sendMediaGroup(bot, call) }),
      sendchataction: async (bot, call) => {
        if (!str(call.params.action)) throw badRequest('action is empty');
        this.resolveChat(bot, call.params.chat_id);
        return { result: true };
      },
      editmessagetext: async (bot, call) => ({ result: this.editMessageText(bot, call) }),
      answercallbackquery: async (_bot, call) => {
        if (!str(call.params.callback_query_id)) {
          throw badRequest('query is too old and response timeout expired or query ID is invalid');
        }
        return { result: true };
      },
      getfile: async (bot, call) => ({ result: this.getFile(bot, call) }),
    };
  }

  get calls(): readonly TelegramCall[] {
    return this.log.calls;
  }

  get deliveries(): readonly WebhookDelivery[] {
    return this.deliveryLog.calls;
  }

  async start(): Promise<void> {
    const listening = await listen(
      (req, res) => this.handle(req, res),
      (err, res) => {
        if (!res.headersSent) {
          sendJson(res, 500, {
            ok: false,
            error_code: 500,
            description: `Internal Server Error: ${String(err)}`,
          });
        }
      },
    );
    this.url = listening.url;
    this.closeServer = listening.close;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const bot of this.bots.values()) {
      bot.poll?.finish({ result: [] });
      bot.poll = undefined;
    }
    await this.closeServer();
  }

  // ---- test-side API ---------------------------------------------------------------------------

  addBot(info: FakeBot): void {
    if (!TOKEN_FORMAT.test(info.token)) throw new Error(`not a bot token: ${info.token}`);
    this.bots.set(info.token, {
      info,
      user: { id: info.id, is_bot: true, first_name: info.firstName, username: info.username },
      updates: [],
      nextUpdateId: 100_000_000 + randomInt(1_000_000),
      allowedUpdates: undefined,
      webhook: undefined,
      webhookInfoOverrides: {},
      lastWebhookError: undefined,
      delivering: false,
      poll: undefined,
      faults: new Map(),
      chats: new Map(),
      blocked: new Set(),
      nextMessageId: new Map(),
      sent: [],
      files: new Map(),
    });
  }

  addChat(token: string, chat: Chat): void {
    this.bot(token).chats.set(chat.id, chat);
  }

  addFile(token: string, file: FakeFile): void {
    this.bot(token).files.set(file.file_id, file);
  }

  queueUpdate(token: string, update: UpdateInput): StoredUpdate | undefined {
    const bot = this.bot(token);
    const { update_id: wanted, ...payload } = update;
    const kind = updateKind(payload);
    if (kind === undefined) throw new Error('an update needs one payload field');
    if (!this.isAllowed(bot, kind)) return undefined;
    const id = typeof wanted === 'number' && wanted >= bot.nextUpdateId ? wanted : bot.nextUpdateId;
    bot.nextUpdateId = id + 1;
    const stored: StoredUpdate = { update_id: id, ...payload };
    this.learnFrom(bot, payload);
    bot.updates.push(stored);
    if (bot.webhook) void this.pumpWebhook(bot);
    else this.wakePoll(bot);
    return stored;
  }

  pendingUpdates(token: string): StoredUpdate[] {
    return [...this.bot(token).updates];
  }

  webhook(token: string): WebhookState | undefined {
    return this.bot(token).webhook;
  }

  setWebhookInfo(token: string, info: Partial<WebhookInfo>): void {
    const bot = this.bot(token);
    bot.webhookInfoOverrides = { ...bot.webhookInfoOverrides, ...info };
  }

  failNext(token: string, method: string, fault: TelegramFault): void {
    const faults = this.bot(token).faults;
    const key = method.toLowerCase();
    faults.set(key, [...(faults.get(key) ?? []), fault]);
  }

  blockChat(token: string, chatId: number): void {
    this.bot(token).blocked.add(chatId);
  }

  unblockChat(token: string, chatId: number): void {
    this.bot(token).blocked.delete(chatId);
  }

  stub(method: string, result: unknown | ((call: TelegramCall) => unknown)): void {
    this.stubs.set(method.toLowerCase(), result);
  }

  sentMessages(token: string, chatId?: number): SentMessage[] {
    return this.bot(token).sent.filter((m) => chatId === undefined || m.chat.id === chatId);
  }

  waitForCall(predicate: (call: TelegramCall) => boolean, timeoutMs = 2000): Promise<TelegramCall> {
    return this.log.waitFor(predicate, timeoutMs, 'Telegram');
  }

  waitForDelivery(
    predicate: (delivery: WebhookDelivery) => boolean,
    timeoutMs = 2000,
  ): Promise<WebhookDelivery> {
    return this.deliveryLog.waitFor(predicate, timeoutMs, 'webhook delivery');
  }

  private bot(token: string): BotState {
    const bot = this.bots.get(token);
    if (!bot) throw new Error(`no fake bot with token ${token}; call addBot first`);
    return bot;
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(res, decodeURIComponent(file[1] ?? ''), file[2] ?? '');
    const match = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    if (!match) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const token = decodeURIComponent(match[1] ?? '');
    const method = decodeURIComponent(match[2] ?? '');
    const body = await decodeBody(req, url);
    const call: TelegramCall = {
      method,
      token,
      httpMethod: req.method ?? 'GET',
      encoding: body.encoding,
      params: normalizeParams(body.fields),
      files: body.files,
      viaWebhookReply: false,
      at: new Date(),
    };
    this.log.record(call);

    const answer = (status: number, payload: Record<string, unknown>) => {
      call.response = { status, body: payload };
      const retryAfter = record(payload.parameters)?.retry_after;
      const headers: Record<string, string> =
        typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {};
      if (!res.writableEnded && !res.destroyed) sendJson(res, status, payload, headers);
    };
    const fail = (error: TelegramErrorBody) => answer(error.error_code, { ok: false, ...error });

    // The hosted Bot API answers a malformed token as an unknown path, a well-formed one it does
    // not know with 401.
    if (!TOKEN_FORMAT.test(token)) return fail({ error_code: 404, description: 'Not Found' });
    const bot = this.bots.get(token);
    if (!bot) return fail(TelegramErrors.unauthorized);

    const fault = this.takeFault(bot, method);
    if (fault && 'drop' in fault) {
      call.response = { dropped: true };
      dropConnection(req);
      return;
    }
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault && 'error_code' in fault) {
      const { delayMs: _delay, ...error } = fault;
      return fail(error);
    }

    const aborted = new AbortController();
    res.once('close', () => aborted.abort());
    const outcome = await this.dispatch(bot, call, aborted.signal);
    if (outcome instanceof ApiError) return fail(outcome.body);
    answer(200, {
      ok: true,
      result: outcome.result,
      ...(outcome.description ? { description: outcome.description } : {}),
    });
  }

  private async dispatch(
    bot: BotState,
    call: TelegramCall,
    signal: AbortSignal,
  ): Promise<Outcome | ApiError> {
    const key = call.method.toLowerCase();
    const handler = this.handlers[key];
    try {
      if (handler) return await handler(bot, call, signal);
      if (this.stubs.has(key)) {
        const stub = this.stubs.get(key);
        return { result: typeof stub === 'function' ? stub(call) : stub };
      }
      return new ApiError({ error_code: 404, description: 'Not Found: method not found' });
    } catch (err) {
      if (err instanceof ApiError) return err;
      throw err;
    }
  }

  private takeFault(bot: BotState, method: string): TelegramFault | undefined {
    const queue = bot.faults.get(method.toLowerCase());
    return queue?.shift();
  }

  private serveFile(res: ServerResponse, token: string, path: string): void {
    const bot = this.bots.get(token);
    const file = bot && [...bot.files.values()].find((f) => f.file_path === path);
    if (!file) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    res.writeHead(200, {
      'content-type': file.mimeType ?? 'application/octet-stream',
      'content-length': file.bytes.length,
    });
    res.end(file.bytes);
  }

  // ---- updates: polling and webhook ------------------------------------------------------------

  private isAllowed(bot: BotState, kind: string): boolean {
    const allowed = bot.allowedUpdates;
    if (allowed && allowed.length > 0) return allowed.includes(kind);
    return !DEFAULT_EXCLUDED_UPDATES.includes(kind);
  }

  private setAllowedUpdates(bot: BotState, value: unknown): void {
    if (Array.isArray(value)) bot.allowedUpdates = value.filter((v) => typeof v === 'string');
  }

  private async getUpdates(
    bot: BotState,
    call: TelegramCall,
    signal: AbortSignal,
  ): Promise<Outcome> {
    if (bot.webhook) {
      throw conflict(
        "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = int(call.params.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, int(call.params.limit) ?? 100));
    const timeout = Math.min(LONG_POLL_MAX_SECONDS, Math.max(0, int(call.params.timeout) ?? 0));
    if (call.params.allowed_updates !== undefined) {
      this.setAllowedUpdates(bot, call.params.allowed_updates);
    }
    // Updates below a positive offset are confirmed and forgotten; a negative offset keeps only
    // the last -offset updates.
    if (offset > 0) bot.updates = bot.updates.filter((u) => u.update_id >= offset);
    if (offset < 0) bot.updates = bot.updates.slice(offset);

    if (bot.updates.length > 0 || timeout === 0) return { result: bot.updates.slice(0, limit) };

    // The Bot API keeps one waiting poll per bot: the newcomer ends the one already waiting.
    this.abortPoll(
      bot,
      'terminated by other getUpdates request; make sure that only one bot instance is running',
    );
    return new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => finish({ result: [] }), timeout * 1000);
      const poll: ParkedPoll = {
        limit,
        finish: (outcome) => finish(outcome),
      };
      const finish = (outcome: Outcome | ApiError) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (bot.poll === poll) bot.poll = undefined;
        if (outcome instanceof ApiError) reject(outcome);
        else resolve(outcome);
      };
      const onAbort = () => finish({ result: [] });
      signal.addEventListener('abort', onAbort);
      bot.poll = poll;
    });
  }

  private abortPoll(bot: BotState, reason: string): void {
    const poll = bot.poll;
    bot.poll = undefined;
    poll?.finish(conflict(reason));
  }

  private wakePoll(bot: BotState): void {
    const poll = bot.poll;
    if (!poll) return;
    // Answer on the next turn so updates queued together leave in one response.
    setImmediate(() => {
      if (bot.poll !== poll) return;
      poll.finish({ result: bot.updates.slice(0, poll.limit) });
    });
  }

  private async pumpWebhook(bot: BotState): Promise<void> {
    if (bot.delivering || this.options.deliverWebhooks === false) return;
    bot.delivering = true;
    const retryMs = this.options.webhookRetryMs ?? 100;
    const maxAttempts = this.options.webhookMaxAttempts ?? 20;
    let attempts = 0;
    try {
      while (!this.closed && bot.webhook && bot.updates.length > 0) {
        const webhook = bot.webhook;
        const update = bot.updates[0];
        if (!update) break;
        const delivery: WebhookDelivery = { token: bot.info.token, url: webhook.url, update };
        let delivered = false;
        try {
          const res = await postWebhook(webhook.url, update, webhook.secret_token);
          delivery.status = res.status;
          if (res.ok) {
            delivered = true;
            await this.runWebhookReply(bot, res);
          } else {
            delivery.error = `Wrong response from the webhook: ${res.status} ${res.statusText}`;
          }
        } catch (err) {
          delivery.error =
            err instanceof Error && /ECONNREFUSED/.test(String(err.cause))
              ? 'Connection refused'
              : `Failed to deliver: ${String(err)}`;
        }
        this.deliveryLog.record(delivery);
        if (delivered || ++attempts >= maxAttempts) {
          if (bot.updates[0] === update) bot.updates.shift();
          attempts = 0;
          continue;
        }
        bot.lastWebhookError = { date: now(), message: delivery.error ?? 'Unknown error' };
        await sleep(retryMs);
      }
    } finally {
      bot.delivering = false;
    }
  }

  /** A webhook may answer with a method call in its response body; Telegram runs it. */
  private async runWebhookReply(bot: BotState, res: Response): Promise<void> {
    const type = res.headers.get('content-type') ?? '';
    if (!type.includes('application/json')) return;
    const body = record(await res.json().catch(() => undefined));
    const method = str(body?.method);
    if (!body || !method) return;
    const { method: _method, ...params } = body;
    const call: TelegramCall = {
      method,
      token: bot.info.token,
      httpMethod: 'POST',
      encoding: 'json',
      params,
      files: [],
      viaWebhookReply: true,
      at: new Date(),
    };
    this.log.record(call);
    const outcome = await this.dispatch(bot, call, new AbortController().signal);
    call.response =
      outcome instanceof ApiError
        ? { status: outcome.body.error_code, body: { ok: false, ...outcome.body } }
        : { status: 200, body: { ok: true, result: outcome.result } };
  }

  /** Remembers chats and message ids from an update, so replies get the next message_id. */
  private learnFrom(bot: BotState, payload: Record<string, unknown>): void {
    for (const value of Object.values(payload)) {
      const item = record(value);
      if (!item) continue;
      const message = record(item.message) ?? item;
      const chat = chatFrom(record(message.chat));
      if (chat) {
        const chatId = chat.id;
        if (!bot.chats.has(chatId)) bot.chats.set(chatId, chat);
        const messageId = int(message.message_id);
        if (messageId !== undefined) {
          const next = bot.nextMessageId.get(chatId) ?? 1;
          bot.nextMessageId.set(chatId, Math.max(next, messageId + 1));
        }
      }
    }
  }

  // ---- methods ---------------------------------------------------------------------------------

  private getMe(bot: BotState): UserFromGetMe {
    return {
      id: bot.info.id,
      is_bot: true,
      first_name: bot.info.firstName,
      username: bot.info.username,
      can_join_groups: bot.info.canJoinGroups ?? true,
      can_read_all_group_messages: bot.info.canReadAllGroupMessages ?? false,
      supports_inline_queries: false,
    };
  }

  private setWebhook(bot: BotState, call: TelegramCall): Outcome {
    const url = str(call.params.url) ?? '';
    if (url === '') return this.deleteWebhook(bot, call);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('invalid webhook URL specified');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw badRequest('invalid webhook URL specified');
    }
    const secret = str(call.params.secret_token);
    if (secret !== undefined && !/^[\w-]{1,256}$/.test(secret)) {
      throw badRequest('secret token contains unallowed characters');
    }
    const dropPending = bool(call.params.drop_pending_updates);
    const maxConnections = Math.min(100, Math.max(1, int(call.params.max_connections) ?? 40));
    const current = bot.webhook;
    if (call.params.allowed_updates !== undefined) {
      this.setAllowedUpdates(bot, call.params.allowed_updates);
    }
    if (
      current &&
      current.url === url &&
      current.secret_token === secret &&
      current.max_connections === maxConnections &&
      !dropPending &&
      call.files.length === 0
    ) {
      if (bot.allowedUpdates) current.allowed_updates = bot.allowedUpdates;
      return { result: true, description: 'Webhook is already set' };
    }
    this.abortPoll(bot, 'terminated by setWebhook request');
    if (dropPending) bot.updates = [];
    bot.lastWebhookError = undefined;
    bot.webhook = {
      url,
      ...(secret !== undefined ? { secret_token: secret } : {}),
      ...(bot.allowedUpdates ? { allowed_updates: bot.allowedUpdates } : {}),
      max_connections: maxConnections,
      ...(str(call.params.ip_address) ? { ip_address: str(call.params.ip_address) } : {}),
      has_custom_certificate: call.files.some((f) => f.field === 'certificate'),
      drop_pending_updates: dropPending,
      setAt: new Date(),
    };
    void this.pumpWebhook(bot);
    return { result: true, description: 'Webhook was set' };
  }

  private deleteWebhook(bot: BotState, call: TelegramCall): Outcome {
    if (bool(call.params.drop_pending_updates)) bot.updates = [];
    const had = bot.webhook !== undefined;
    bot.webhook = undefined;
    bot.lastWebhookError = undefined;
    return {
      result: true,
      description: had ? 'Webhook was deleted' : 'Webhook is already deleted',
    };
  }

  private webhookInfo(bot: BotState): WebhookInfo {
    const webhook = bot.webhook;
    const base: WebhookInfo = {
      url: webhook?.url ?? '',
      has_custom_certificate: webhook?.has_custom_certificate ?? false,
      pending_update_count: bot.updates.length,
    };
    if (webhook) {
      base.max_connections = webhook.max_connections;
      if (webhook.ip_address) base.ip_address = webhook.ip_address;
      if (webhook.allowed_updates) base.allowed_updates = webhook.allowed_updates;
      if (bot.lastWebhookError) {
        base.last_error_date = bot.lastWebhookError.date;
        base.last_error_message = bot.lastWebhookError.message;
      }
    }
    return { ...base, ...bot.webhookInfoOverrides };
  }

  private resolveChat(bot: BotState, chatIdParam: unknown): Chat {
    const raw = str(chatIdParam);
    if (raw === undefined || raw === '') throw badRequest('chat_id is empty');
    const chatId = int(chatIdParam);
    if (chatId === undefined) {
      const byName = [...bot.chats.values()].find(
        (chat) => 'username' in chat && `@${chat.username}` === raw,
      );
      if (!byName) throw new ApiError(TelegramErrors.chatNotFound);
      return byName;
    }
    if (bot.blocked.has(chatId)) throw new ApiError(TelegramErrors.blockedByUser);
    const known = bot.chats.get(chatId);
    if (known) return known;
    if (this.options.strictChats) throw new ApiError(TelegramErrors.chatNotFound);
    const chat: Chat =
      chatId > 0
        ? { id: chatId, type: 'private', first_name: 'User' }
        : chatId < -1_000_000_000_000
          ? { id: chatId, type: 'supergroup', title: 'Group' }
          : { id: chatId, type: 'group', title: 'Group' };
    bot.chats.set(chatId, chat);
    return chat;
  }

  private newMessage(bot: BotState, chat: Chat, call: TelegramCall): SentMessage {
    const messageId = bot.nextMessageId.get(chat.id) ?? 1;
    bot.nextMessageId.set(chat.id, messageId + 1);
    const message: SentMessage = { message_id: messageId, from: bot.user, chat, date: now() };
    const replyTo =
      int(record(call.params.reply_parameters)?.message_id) ?? int(call.params.reply_to_message_id);
    const original = bot.sent.find((m) => m.chat.id === chat.id && m.message_id === replyTo);
    if (original) {
      const { reply_to_message: _nested, ...flat } = original;
      message.reply_to_message = { ...flat };
    }
    const markup = record(call.params.reply_markup);
    // Only inline keyboards belong to the message; reply keyboards are not echoed back.
    if (markup && 'inline_keyboard' in markup) message.reply_markup = markup;
    return message;
  }

  private keep(bot: BotState, message: SentMessage): SentMessage {
    bot.sent.push(message);
    return message;
  }

  private sendMessage(bot: BotState, call: TelegramCall): SentMessage {
    const chat = this.resolveChat(bot, call.params.chat_id);
    const text = str(call.params.text) ?? '';
    if (text.trim() === '') throw badRequest('message text is empty');
    if ([...text].length > 4096) throw badRequest('message is too long');
    const message = this.newMessage(bot, chat, call);
    message.text = text;
    if (Array.isArray(call.params.entities)) message.entities = call.params.entities;
    return this.keep(bot, message);
  }

  private storeFile(
    bot: BotState,
    kind: string,
    directory: string,
    bytes: Buffer,
    name: string,
    mimeType?: string,
  ): FakeFile {
    this.fileCounter += 1;
    const file: FakeFile = {
      file_id: `${FILE_ID_PREFIX[kind] ?? 'BQACAgIAAxkBAAI'}${randomId(56)}`,
      file_unique_id: `AgAD${randomId(12)}`,
      file_path: `${directory}/file_${this.fileCounter}${extname(name) || '.dat'}`,
      bytes,
      ...(mimeType ? { mimeType } : {}),
    };
    bot.files.set(file.file_id, file);
    return file;
  }

  /** The upload a parameter names: the part itself, or `attach://<part>`. */
  private upload(call: TelegramCall, field: string, value: unknown): UploadedFile | undefined {
    const named =
      typeof value === 'string' && value.startsWith('attach://') ? value.slice(9) : field;
    return call.files.find((f) => f.field === named);
  }

  /**
   * Where a file parameter's content comes from: an upload, a file_id the bot knows, or an
   * HTTP URL (which Telegram would download; the fake stores no bytes for it).
   */
  private source(
    bot: BotState,
    call: TelegramCall,
    field: string,
    value: unknown,
  ): { uploaded?: UploadedFile; known?: FakeFile } {
    const uploaded = this.upload(call, field, value);
    if (uploaded) return { uploaded };
    if (typeof value !== 'string') throw badRequest(`there is no ${field} in the request`);
    const known = bot.files.get(value);
    if (known) return { known };
    if (/^https?:\/\//.test(value)) return {};
    throw badRequest('wrong file identifier/HTTP URL specified');
  }

  private photoSizes(
    bot: BotState,
    call: TelegramCall,
    field: string,
    value: unknown,
  ): PhotoSize[] {
    const { uploaded, known } = this.source(bot, call, field, value);
    const bytes = uploaded?.bytes ?? known?.bytes ?? Buffer.alloc(0);
    // Telegram stores a photo in several sizes; only the largest keeps the original bytes here.
    return [
      [90, 68],
      [320, 240],
      [800, 600],
    ].map(([width = 0, height = 0], index, all) => {
      const largest = index === all.length - 1;
      const file =
        largest && known
          ? known
          : this.storeFile(bot, 'photo', 'photos', largest ? bytes : Buffer.alloc(0), 'photo.jpg');
      return {
        file_id: file.file_id,
        file_unique_id: file.file_unique_id,
        file_size: largest ? bytes.length : Math.max(1, Math.round(bytes.length / (3 - index) / 4)),
        width,
        height,
      };
    });
  }

  private document(bot: BotState, call: TelegramCall, field: string, value: unknown): Document {
    const { uploaded, known } = this.source(bot, call, field, value);
    const name = uploaded?.filename ?? known?.file_path.split('/').pop() ?? 'file';
    const mimeType =
      uploaded?.contentType ?? known?.mimeType ?? MIME_BY_EXTENSION[extname(name).toLowerCase()];
    const file =
      known ??
      this.storeFile(
        bot,
        'document',
        'documents',
        uploaded?.bytes ?? Buffer.alloc(0),
        name,
        mimeType,
      );
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_name: name,
      ...(mimeType ? { mime_type: mimeType } : {}),
      file_size: file.bytes.length,
    };
  }

  private withCaption(message: SentMessage, caption: unknown, entities: unknown): void {
    const text = str(caption);
    if (text) message.caption = text;
    if (Array.isArray(entities)) message.caption_entities = entities;
  }

  private sendPhoto(bot: BotState, call: TelegramCall): SentMessage {
    const chat = this.resolveChat(bot, call.params.chat_id);
    const photo = this.photoSizes(bot, call, 'photo', call.params.photo);
    const message = this.newMessage(bot, chat, call);
    message.photo = photo;
    this.withCaption(message, call.params.caption, call.params.caption_entities);
    return this.keep(bot, message);
  }

  private sendDocument(bot: BotState, call: TelegramCall): SentMessage {
    const chat = this.resolveChat(bot, call.params.chat_id);
    const document = this.document(bot, call, 'document', call.params.document);
    const message = this.newMessage(bot, chat, call);
    message.document = document;
    this.withCaption(message, call.params.caption, call.params.caption_entities);
    return this.keep(bot, message);
  }

  private sendMediaGroup(bot: BotState, call: TelegramCall): SentMessage[] {
    const chat = this.resolveChat(bot, call.params.chat_id);
    const media = call.params.media;
    if (!Array.isArray(media)) throw badRequest('media is empty');
    const groupId = String(13_000_000_000_000_000 + randomInt(1_000_000_000));
    return media.map((raw, index) => {
      const item = record(raw) ?? {};
      const message = this.newMessage(bot, chat, call);
      message.media_group_id = groupId;
      const field = `media[${index}]`;
      if (item.type === 'photo') message.photo = this.photoSizes(bot, call, field, item.media);
      else message.document = this.document(bot, call, field, item.media);
      this.withCaption(message, item.caption, item.caption_entities);
      return this.keep(bot, message);
    });
  }

  private editMessageText(bot: BotState, call: TelegramCall): SentMessage | true {
    const text = str(call.params.text) ?? '';
    if (text.trim() === '') throw badRequest('message text is empty');
    if (str(call.params.inline_message_id)) return true;
    const chat = this.resolveChat(bot, call.params.chat_id);
    const messageId = int(call.params.message_id);
    const message = bot.sent.find((m) => m.chat.id === chat.id && m.message_id === messageId);
    if (!message) throw badRequest('message to edit not found');
    const markup = record(call.params.reply_markup);
    if (message.text === text && JSON.stringify(message.reply_markup) === JSON.stringify(markup)) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    message.text = text;
    message.edit_date = now();
    if (Array.isArray(call.params.entities)) message.entities = call.params.entities;
    else delete message.entities;
    if (markup) message.reply_markup = markup;
    else delete message.reply_markup;
    return message;
  }

  private getFile(bot: BotState, call: TelegramCall): File {
    const fileId = str(call.params.file_id);
    const file = fileId ? bot.files.get(fileId) : undefined;
    if (!file) throw badRequest('invalid file_id');
    if (file.bytes.length > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
    return {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_size: file.bytes.length,
      file_path: file.file_path,
    };
  }
}
