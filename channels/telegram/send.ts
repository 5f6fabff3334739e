import { TelegramError } from 'telegraf';
import type { BotApi } from './client';
import { ChannelSendError, type OutboundMessage, type SendResult } from '../types';

/** Telegram's limit for one text message, in UTF-16 code units (what the Bot API counts). */
export const MAX_TEXT = 4096;
/** callback_data carries at most 64 bytes. */
const MAX_CALLBACK_BYTES = 64;
/** Photos up to this size go as photos (shown inline); larger images and other files as documents. */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/**
 * Splits a reply into messages of at most `max` code units, preferring to cut between
 * paragraphs, then lines, then sentences (Latin, Persian/Arabic and other full stops), then
 * words; a single longer word is cut where it must, never inside a surrogate pair.
 */
export function splitText(text: string, max = MAX_TEXT): string[] {
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut =
      lastBreak(window, /\n\s*\n/g, max) ??
      lastBreak(window, /\n/g, max) ??
      lastBreak(window, /[.!?؟।。…]+["'»”)\]]*(?=\s)/g, max, true) ??
      lastBreak(window, /\s/g, max) ??
      hardCut(rest, max);
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}

/** Where to cut: the last match that leaves a non-empty first part within `max`. */
function lastBreak(
  window: string,
  pattern: RegExp,
  max: number,
  keepMatch = false,
): number | undefined {
  let best: number | undefined;
  for (const m of window.matchAll(pattern)) {
    const at = keepMatch ? m.index + m[0].length : m.index;
    if (at > 0 && at <= max && window.slice(0, at).trim()) best = at;
  }
  return best;
}

function hardCut(text: string, max: number): number {
  const code = text.charCodeAt(max - 1);
  // Do not leave half of a surrogate pair on either side.
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}

/**
 * A pace of `perSecond` with bursts of `burst`: `take()` resolves when the next send may go.
 * In memory, per process: every instance paces its own sends, and a 429 from Telegram (which
 * sees them all) pauses the gate for its `retry_after`.
 */
export class RateGate {
  /** Theoretical arrival time of the next send (GCRA). */
  private tat = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly burst = 1,
  ) {}

  /** Milliseconds to wait for a slot, taking it. */
  reserve(now = Date.now()): number {
    const tat = Math.max(this.tat, now);
    this.tat = tat + this.intervalMs;
    return Math.max(0, tat - (this.burst - 1) * this.intervalMs - now);
  }

  pause(ms: number, now = Date.now()): void {
    this.tat = Math.max(this.tat, now + ms + (this.burst - 1) * this.intervalMs);
  }

  /** True when the gate holds no reservation (it can be forgotten). */
  idle(now = Date.now()): boolean {
    return this.tat <= now;
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A Bot API failure as the delivery job understands it. */
export function toSendError(err: unknown): ChannelSendError {
  if (err instanceof ChannelSendError) return err;
  if (err instanceof TelegramError) {
    const reason = `Telegram: ${err.description}`;
    const code = String(err.code);
    if (err.code === 429) {
      const seconds = err.parameters?.retry_after ?? 1;
      return new ChannelSendError(reason, true, { retryAfterMs: seconds * 1000, code });
    }
    if (err.code === 403)
      // Blocked by the user, user deactivated, kicked from the group: nothing to retry.
      return new ChannelSendError(reason, false, { identityState: 'blocked', code });
    if (err.code === 401 || err.code === 404)
      return new ChannelSendError('Telegram refused the bot token (revoked or wrong)', false, {
        code,
      });
    if (err.code >= 500) return new ChannelSendError(reason, true, { code });
    return new ChannelSendError(reason, false, { code });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ChannelSendError(`could not reach Telegram: ${message}`, true);
}

interface Progress {
  sent: number;
  first?: string;
}

/**
 * Sends replies: text as plain text (no parse_mode, so `*`, `_` and `<b>` arrive as typed)
 * split at 4,096 characters, then each attached file, with the bot's menu buttons as an inline
 * keyboard on the last text part. Paced per bot (30/s) and per chat (1/s; 20/min in groups).
 *
 * A reply split into several messages that fails half-way is resumed after the parts already
 * sent when the delivery job tries again in this process (progress is kept in memory).
 */
export class TelegramSender {
  private readonly bot = new RateGate(1000 / 30, 30);
  private readonly chats = new Map<number, RateGate>();
  private readonly progress = new Map<string, Progress>();

  constructor(private readonly api: BotApi) {}

  async send(message: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    const chatId = chatIdOf(message);
    const texts = splitText(message.text);
    const keyboard = inlineKeyboard(message.buttons);
    const steps: ((signal: AbortSignal) => Promise<number>)[] = texts.map(
      (text, i) => (s) =>
        this.api
          .call(
            'sendMessage',
            {
              chat_id: chatId,
              text,
              ...(keyboard && i === texts.length - 1 ? { reply_markup: keyboard } : {}),
            },
            s,
          )
          .then((m) => m.message_id),
    );
    for (const file of message.attachments) {
      const photo = PHOTO_TYPES.has(file.contentType) && file.size <= MAX_PHOTO_BYTES;
      const input = { source: file.path, filename: file.fileName };
      steps.push((s) =>
        (photo
          ? this.api.call('sendPhoto', { chat_id: chatId, photo: input }, s)
          : this.api.call('sendDocument', { chat_id: chatId, document: input }, s)
        ).then((m) => m.message_id),
      );
    }
    if (!steps.length) throw new ChannelSendError('nothing to send: no text and no file', false);
    if (keyboard && !texts.length)
      steps.unshift((s) =>
        this.api
          .call('sendMessage', { chat_id: chatId, text: '…', reply_markup: keyboard }, s)
          .then((m) => m.message_id),
      );

    const progress = this.progress.get(message.messageId) ?? { sent: 0 };
    for (let i = progress.sent; i < steps.length; i++) {
      await wait(this.slot(chatId), signal);
      let sentId: number;
      try {
        sentId = await steps[i]!(signal);
      } catch (err) {
        const failure = toSendError(err);
        if (failure.opts.retryAfterMs) this.pause(chatId, failure.opts.retryAfterMs);
        if (progress.sent > 0) this.remember(message.messageId, progress);
        throw failure;
      }
      progress.sent = i + 1;
      progress.first ??= `${chatId}:${sentId}`;
    }
    this.progress.delete(message.messageId);
    return progress.first ? { providerMessageId: progress.first } : {};
  }

  /** Milliseconds until this chat (and the bot) may send again, taking the slot. */
  private slot(chatId: number): number {
    let gate = this.chats.get(chatId);
    if (!gate) {
      if (this.chats.size > 10_000)
        for (const [id, g] of this.chats) if (g.idle()) this.chats.delete(id);
      // Groups: 20 messages a minute; private chats: about one a second.
      gate = new RateGate(chatId < 0 ? 3000 : 1000);
      this.chats.set(chatId, gate);
    }
    return Math.max(gate.reserve(), this.bot.reserve());
  }

  private pause(chatId: number, ms: number): void {
    this.chats.get(chatId)?.pause(ms);
    this.bot.pause(ms);
  }

  private remember(messageId: string, progress: Progress): void {
    if (this.progress.size > 10_000) this.progress.clear();
    this.progress.set(messageId, progress);
  }
}

/** The chat a reply goes to: the conversation's chat (a group), else the customer's own. */
export function chatIdOf(message: OutboundMessage): number {
  const ref = chatIdOfRef(message.channelRef);
  const id = ref ?? Number(message.recipient.value);
  if (message.recipient.kind !== 'telegram' && ref === undefined)
    throw new ChannelSendError(`Telegram cannot reach a ${message.recipient.kind} identity`, false);
  if (!Number.isSafeInteger(id)) throw new ChannelSendError('no Telegram chat to send to', false);
  return id;
}

/** The chat id a conversation's channel reference names, if any. */
export function chatIdOfRef(ref: Record<string, unknown> | null): number | undefined {
  const id = ref?.['chatId'];
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

function inlineKeyboard(buttons: OutboundMessage['buttons']) {
  if (!buttons?.length) return undefined;
  return {
    inline_keyboard: buttons.map((b) => [
      {
        text: b.label,
        callback_data: Buffer.from(b.value, 'utf8')
          .subarray(0, MAX_CALLBACK_BYTES)
          .toString('utf8'),
      },
    ]),
  };
}
