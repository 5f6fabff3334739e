import { TelegramError } from 'telegraf';
import type { ChannelReceiver, ParsedEvent, ReceiverContext } from '../types';
import type { BotApi } from './client';
import { HANDLED_UPDATES, type ParsedUpdate } from './parse';

export interface ReceiverOptions {
  /** getUpdates long-poll timeout, seconds (Telegram allows up to 50). */
  pollTimeoutSeconds: number;
  /** How often a webhook inbox asks getWebhookInfo for Telegram's view of it. */
  webhookCheckMs: number;
  /** Parses one update (errors are thrown as ChannelParseError). */
  parse(update: unknown): ParsedUpdate;
  /** Answers the button presses of a batch once it is stored. */
  answerCallbacks(ids: string[], signal: AbortSignal): Promise<void>;
  /** Logs an update that could not be read (it is skipped, never retried forever). */
  skipped(update: unknown, err: unknown): void;
}

/** A webhook error Telegram reported within this long counts as the webhook failing now. */
const RECENT_ERROR_MS = 15 * 60_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** An error as admins should read it: what Telegram said, never a URL (which holds the token). */
export function describe(err: unknown, token?: string): string {
  const text =
    err instanceof TelegramError
      ? `Telegram: ${err.description} (${err.code})`
      : err instanceof Error
        ? err.message
        : String(err);
  return token ? text.split(token).join('[token]') : text;
}

/**
 * Long polling, for a bot without a webhook secret (a laptop behind NAT works): the webhook is
 * deleted first (getUpdates refuses to run while one is set), then `getUpdates` runs from the
 * offset saved in the inbox's channel state. The offset moves past a batch only once
 * `ctx.deliver` has stored it, so a crash re-polls the batch and ingest recognises it.
 */
export class PollingReceiver implements ChannelReceiver {
  constructor(
    private readonly api: BotApi,
    private readonly opts: ReceiverOptions,
  ) {}

  async run(ctx: ReceiverContext): Promise<void> {
    const me = await this.api.call('getMe', {}, ctx.signal);
    const detail = {
      mode: 'polling',
      address: `@${me.username}`,
      bot: `@${me.username}`,
      botName: me.first_name,
    };
    await this.api.call('deleteWebhook', { drop_pending_updates: false }, ctx.signal);
    let offset = typeof ctx.state['offset'] === 'number' ? ctx.state['offset'] : 0;
    ctx.health('connected', undefined, detail);
    while (!ctx.signal.aborted) {
      let updates: unknown[];
      try {
        updates = await this.api.call(
          'getUpdates',
          {
            offset,
            timeout: this.opts.pollTimeoutSeconds,
            allowed_updates: [...HANDLED_UPDATES],
          },
          ctx.signal,
        );
      } catch (err) {
        if (ctx.signal.aborted) return;
        if (err instanceof TelegramError && err.code === 409)
          throw new Error(
            `another program is receiving this bot's updates (${err.description}); ` +
              'stop it, or give this inbox a webhook secret',
          );
        throw new Error(describe(err, this.api.token));
      }
      if (!updates.length) {
        ctx.health('connected', undefined, detail);
        continue;
      }
      const events: ParsedEvent[] = [];
      const callbacks: string[] = [];
      let last = offset - 1;
      for (const update of updates) {
        const id = updateIdOf(update);
        if (id !== undefined) last = Math.max(last, id);
        try {
          const parsed = this.opts.parse(update);
          events.push(...parsed.events);
          if (parsed.callbackQueryId) callbacks.push(parsed.callbackQueryId);
        } catch (err) {
          this.opts.skipped(update, err);
        }
      }
      offset = last + 1;
      await ctx.deliver(events, { offset });
      if (callbacks.length) await this.opts.answerCallbacks(callbacks, ctx.signal);
      ctx.health('connected', undefined, detail);
    }
  }
}

function updateIdOf(update: unknown): number | undefined {
  if (!update || typeof update !== 'object' || !('update_id' in update)) return undefined;
  return typeof update.update_id === 'number' ? update.update_id : undefined;
}

/**
 * For a bot with a webhook secret: registers the webhook (our URL, the secret, the update kinds
 * we handle), then asks Telegram every `webhookCheckMs` how delivery goes — pending updates,
 * the last error — and reports it as the inbox's health, so an unreachable server says so
 * plainly. A webhook that someone else re-pointed is registered again.
 */
export class WebhookReceiver implements ChannelReceiver {
  constructor(
    private readonly api: BotApi,
    private readonly url: string,
    private readonly secret: string,
    private readonly opts: Pick<ReceiverOptions, 'webhookCheckMs'>,
  ) {}

  async run(ctx: ReceiverContext): Promise<void> {
    const me = await this.api.call('getMe', {}, ctx.signal);
    const bot = { address: `@${me.username}`, bot: `@${me.username}`, botName: me.first_name };
    const register = async () => {
      try {
        await this.api.call(
          'setWebhook',
          {
            url: this.url,
            secret_token: this.secret,
            allowed_updates: [...HANDLED_UPDATES],
          },
          ctx.signal,
        );
      } catch (err) {
        throw new Error(`setWebhook ${this.url} failed: ${describe(err, this.api.token)}`);
      }
    };
    await register();
    let registeredAt = Date.now();
    while (!ctx.signal.aborted) {
      const info = await this.api.call('getWebhookInfo', {}, ctx.signal);
      const lastErrorAt = info.last_error_date ? info.last_error_date * 1000 : undefined;
      const detail = {
        mode: 'webhook',
        ...bot,
        url: info.url,
        pendingUpdateCount: info.pending_update_count,
        lastErrorMessage: info.last_error_message ?? null,
        lastErrorDate: lastErrorAt ? new Date(lastErrorAt).toISOString() : null,
        checkedAt: new Date().toISOString(),
      };
      if (info.url !== this.url) {
        ctx.health(
          'failing',
          info.url
            ? `the bot's webhook points elsewhere (${info.url}); registering ${this.url} again`
            : `the bot has no webhook; registering ${this.url} again`,
          detail,
        );
        await register();
        registeredAt = Date.now();
      } else if (
        lastErrorAt !== undefined &&
        Date.now() - lastErrorAt < RECENT_ERROR_MS &&
        lastErrorAt >= registeredAt - RECENT_ERROR_MS
      ) {
        ctx.health(
          'failing',
          `Telegram cannot deliver updates to ${this.url}: ${info.last_error_message ?? 'unknown error'}` +
            (info.pending_update_count ? ` (${info.pending_update_count} waiting)` : ''),
          detail,
        );
      } else {
        ctx.health('connected', undefined, detail);
      }
      await sleep(this.opts.webhookCheckMs, ctx.signal);
    }
  }
}
