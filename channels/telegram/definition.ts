import { z } from 'zod';
import { TelegramError } from 'telegraf';
import {
  ChannelEnvError,
  ChannelParseError,
  MediaTooLargeError,
  type ChannelDefinition,
  type ChannelInstance,
  type FetchedMedia,
  type MediaRef,
} from '../types';
import { BotApi } from './client';
import { parseUpdate, updateKind, type ParsedUpdate } from './parse';
import { describe, PollingReceiver, WebhookReceiver } from './receiver';
import { chatIdOfRef, TelegramSender } from './send';
import { verifyTelegramWebhook } from './verify';

/** What the channel needs from outside; the composition root gives it. */
export interface TelegramDeps {
  /** TELEGRAM_API_ROOT: the Bot API server (a self-hosted one, or a fake in tests). */
  apiRoot: string;
  /** Signs and checks `/start` deep links an agent makes (derived from the server's key). */
  linkSecret: string;
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
  /** Downloads files (tests may count them); the global fetch by default. */
  fetch?: typeof fetch;
  /** getUpdates long-poll timeout in seconds (default 25). */
  pollTimeoutSeconds?: number;
  /** How often a webhook inbox checks getWebhookInfo (default one minute). */
  webhookCheckMs?: number;
}

/** The Bot API's own limit on files a bot may download. */
export const BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

const TOKEN = /^(\d{3,20}):[A-Za-z0-9_-]{20,100}$/;
const SECRET = /^[A-Za-z0-9_-]{1,256}$/;

const credentials = z
  .object({
    botToken: z.string().trim().regex(TOKEN, 'must look like 123456789:AA… (from @BotFather)'),
    webhookSecret: z
      .string()
      .regex(SECRET, 'must be 1–256 characters of A–Z, a–z, 0–9, _ and -')
      .optional(),
  })
  .strict();
export type TelegramCredentials = z.infer<typeof credentials>;

/** The bot's id: the part of the token before the colon. */
export const botIdOf = (token: string) => token.split(':')[0] ?? '';

/**
 * Telegram bots (several, one inbox each). With a webhook secret the inbox takes updates at its
 * webhook URL and its receiver registers the webhook and watches Telegram's delivery report;
 * without one, its receiver long-polls getUpdates (no public address needed).
 */
export function telegramChannel(deps: TelegramDeps): ChannelDefinition<TelegramCredentials> {
  const warned = new Set<string>();
  const warnOnce = (key: string, obj: object, msg: string) => {
    if (warned.has(key) || warned.size > 1000) return;
    warned.add(key);
    deps.logger?.warn(obj, msg);
  };
  return {
    kind: 'telegram',
    displayName: 'Telegram',
    recipientKind: 'telegram',
    supportsTyping: true,
    threaded: false,
    threadedFor: (settings) => settings['allowGroups'] === true,
    credentials,
    credentialKeys: ['botToken', 'webhookSecret'],
    webhook: { provider: 'telegram', subPaths: [''] },
    routingKey: (c) => botIdOf(c.botToken),

    async validate(c, { signal }) {
      const api = new BotApi(c.botToken, deps.apiRoot);
      try {
        const me = await api.call('getMe', {}, signal);
        return {
          name: [me.first_name, me.last_name].filter(Boolean).join(' ') || `@${me.username}`,
        };
      } catch (err) {
        if (err instanceof TelegramError && (err.code === 401 || err.code === 404))
          throw new Error('Telegram does not know this bot token (getMe: Unauthorized)');
        throw new Error(`getMe failed: ${describe(err, c.botToken)}`);
      }
    },

    fromEnv(env) {
      const token = env['TELEGRAM_BOT_TOKEN'];
      if (typeof token !== 'string' || !token) return undefined;
      if (!TOKEN.test(token.trim()))
        throw new ChannelEnvError(
          'TELEGRAM_BOT_TOKEN',
          'must look like 123456789:AA… (from @BotFather)',
        );
      const secret = env['TELEGRAM_WEBHOOK_SECRET'];
      if (typeof secret === 'string' && secret && !SECRET.test(secret))
        throw new ChannelEnvError(
          'TELEGRAM_WEBHOOK_SECRET',
          'must be 1–256 characters of A–Z, a–z, 0–9, _ and -',
        );
      return {
        name: 'Telegram',
        credentials: {
          botToken: token.trim(),
          ...(typeof secret === 'string' && secret ? { webhookSecret: secret } : {}),
        },
      };
    },

    create(inbox, c): ChannelInstance {
      const api = new BotApi(c.botToken, deps.apiRoot);
      const sender = new TelegramSender(api);
      const download = deps.fetch ?? fetch;
      const allowGroups = () => inbox.settings['allowGroups'] === true;
      let username: Promise<string> | undefined;

      const parse = (body: unknown): ParsedUpdate => {
        const parsed = parseUpdate(body, {
          allowGroups: allowGroups(),
          linkSecret: deps.linkSecret,
        });
        if (parsed.ignored)
          warnOnce(
            `${inbox.id}:${parsed.ignored}`,
            { inboxId: inbox.id, update: updateKind(body), why: parsed.ignored },
            'Telegram update ignored (logged once per kind)',
          );
        return parsed;
      };
      const answerCallbacks = async (ids: string[], signal: AbortSignal) => {
        for (const id of ids) {
          try {
            await api.call('answerCallbackQuery', { callback_query_id: id }, signal);
          } catch (err) {
            deps.logger?.warn(
              { inboxId: inbox.id, reason: describe(err, c.botToken) },
              'answerCallbackQuery failed',
            );
          }
        }
      };
      const options = {
        pollTimeoutSeconds: deps.pollTimeoutSeconds ?? 25,
        webhookCheckMs: deps.webhookCheckMs ?? 60_000,
        parse,
        answerCallbacks,
        skipped: (update: unknown, err: unknown) =>
          deps.logger?.warn(
            { inboxId: inbox.id, update: updateKind(update), reason: describe(err) },
            'Telegram update skipped: it could not be read',
          ),
      };
      const webhookUrl = inbox.webhookUrl ?? `${inbox.publicUrl}/webhooks/telegram/${inbox.id}`;
      const receiver = c.webhookSecret
        ? new WebhookReceiver(api, webhookUrl, c.webhookSecret, options)
        : new PollingReceiver(api, options);

      return {
        verify: (req) => verifyTelegramWebhook(req, c.webhookSecret),
        parse(req) {
          if (req.body === undefined) throw new ChannelParseError('empty body');
          return parse(req.body).events;
        },
        async respond(req) {
          // Button presses are answered once stored, so the customer's spinner stops.
          const id = callbackIdOf(req.body);
          if (id) await answerCallbacks([id], AbortSignal.timeout(5_000));
          return { status: 200, contentType: 'application/json', body: '{"ok":true}' };
        },
        send: (message, { signal }) => sender.send(message, signal),
        receiver,
        fetchMedia: (ref, opts) => fetchFile(api, download, ref, opts),
        typing(target, on) {
          const chatId = chatIdOfRef(target.channelRef);
          if (!on || chatId === undefined) return;
          api
            .call(
              'sendChatAction',
              { chat_id: chatId, action: 'typing' },
              AbortSignal.timeout(5_000),
            )
            .catch(() => undefined);
        },
        async deepLink(payload, { signal }) {
          username ??= api.call('getMe', {}, signal).then((me) => me.username);
          try {
            return `https://t.me/${await username}?start=${payload}`;
          } catch (err) {
            username = undefined;
            throw new Error(describe(err, c.botToken));
          }
        },
      };
    },
  };
}

function callbackIdOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || !('callback_query' in body)) return undefined;
  const q = body.callback_query;
  return q && typeof q === 'object' && 'id' in q && typeof q.id === 'string' ? q.id : undefined;
}

/**
 * A file the customer sent: getFile for its path, then the download from
 * `<apiRoot>/file/bot<token>/<path>`. That URL holds the token: it is used here and nowhere
 * else, and never appears in an error.
 */
async function fetchFile(
  api: BotApi,
  download: typeof fetch,
  ref: MediaRef,
  opts: { signal: AbortSignal; maxBytes: number },
): Promise<FetchedMedia> {
  const fileId = typeof ref['fileId'] === 'string' ? ref['fileId'] : undefined;
  if (!fileId) throw new Error('no Telegram file id');
  const limit = Math.min(opts.maxBytes, BOT_DOWNLOAD_LIMIT);
  const announced = typeof ref['size'] === 'number' ? ref['size'] : undefined;
  if (announced !== undefined && announced > limit) throw new MediaTooLargeError(announced, limit);
  let path: string | undefined;
  let size: number | undefined;
  try {
    const file = await api.call('getFile', { file_id: fileId }, opts.signal);
    path = file.file_path;
    size = file.file_size;
  } catch (err) {
    if (err instanceof TelegramError && /too big/i.test(err.description))
      throw new MediaTooLargeError(announced ?? BOT_DOWNLOAD_LIMIT + 1, limit);
    throw new Error(`getFile failed: ${describe(err, api.token)}`);
  }
  if (size !== undefined && size > limit) throw new MediaTooLargeError(size, limit);
  if (!path) throw new Error('Telegram gave no file path');
  const url = `${api.apiRoot.replace(/\/$/, '')}/file/bot${api.token}/${path}`;
  let res: Response;
  try {
    res = await download(url, { signal: opts.signal });
  } catch (err) {
    throw new Error(`download failed: ${describe(err, api.token)}`);
  }
  if (!res.ok || !res.body) throw new Error(`download failed: HTTP ${res.status}`);
  const chunks: Buffer[] = [];
  let total = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new MediaTooLargeError(total, limit);
    }
    chunks.push(Buffer.from(value));
  }
  const contentType =
    typeof ref['contentType'] === 'string' ? ref['contentType'] : 'application/octet-stream';
  return { data: Buffer.concat(chunks), contentType };
}
