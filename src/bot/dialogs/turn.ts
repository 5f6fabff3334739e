import { ActionTypes, type TurnContext } from 'botbuilder-core';
import { Dialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { z } from 'zod';
import type { BotLanguage } from '../../db/schema';
import type { MessageButton } from '../../conversations/dto';
import { normalizeForSearch } from '../../search/normalize';
import { portsOf, type ComplaintFields, type HandoverReason } from '../ports';
import { fill, type BotTexts } from '../texts';

/** Bumped when the shape of the bot's memory changes: older memory is started afresh. */
export const BOT_MEMORY_VERSION = 1;

const button = z.object({ label: z.string(), value: z.string() });

export const botMemorySchema = z.object({
  v: z.literal(BOT_MEMORY_VERSION),
  language: z.enum(['en', 'fa', 'ru']).optional(),
  askedLanguage: z.boolean().default(false),
  greeted: z.boolean().default(false),
  /** Misunderstandings in a row; two hand the conversation over. */
  misunderstood: z.number().int().min(0).default(0),
  /** The buttons last offered: a number typed on SMS picks the button at that place. */
  lastButtons: z.array(button).default([]),
  /** Handed over: the bot says nothing more here. */
  ended: z.boolean().default(false),
  /** The message whose turn was last taken, so a retried job does not answer twice. */
  lastMessageId: z.string().optional(),
});

export type BotMemory = z.infer<typeof botMemorySchema>;

export function freshMemory(): BotMemory {
  return {
    v: BOT_MEMORY_VERSION,
    askedLanguage: false,
    greeted: false,
    misunderstood: 0,
    lastButtons: [],
    ended: false,
  };
}

/** What a turn knows, kept in the turn state for the dialogs. */
export interface TurnInfo {
  memory: BotMemory;
  language: BotLanguage;
  texts: BotTexts;
  /** The customer's text, trimmed and cut to a length the bot reads. */
  text: string;
}

const INFO = Symbol('switchboard.botTurn');

export function setTurn(context: TurnContext, info: TurnInfo): void {
  context.turnState.set(INFO, info);
}

export function turnOf(context: TurnContext): TurnInfo {
  const info = context.turnState.get(INFO) as TurnInfo | undefined;
  if (!info) throw new Error('bot turn without its facts');
  return info;
}

/** Sends a message, with buttons when it offers choices; remembers them for numbered answers. */
export async function say(
  context: TurnContext,
  text: string,
  buttons?: MessageButton[],
): Promise<void> {
  if (buttons?.length) turnOf(context).memory.lastButtons = buttons;
  await context.sendActivity({
    type: 'message',
    text,
    ...(buttons?.length
      ? {
          suggestedActions: {
            to: [],
            actions: buttons.map((b) => ({
              type: ActionTypes.ImBack,
              title: b.label,
              value: b.value,
            })),
          },
        }
      : {}),
  });
}

/** Buttons whose value is what they say: a pressed button reads like the customer's answer. */
export function buttonsOf(labels: string[]): MessageButton[] {
  return labels.map((label) => ({ label, value: label }));
}

const TELEGRAM_CALLBACK_BYTES = 64;

/**
 * Which of the offered buttons the text picks: its number (1-based, any digits), its label or
 * value (folded like search), or a value as Telegram cut it to 64 bytes. -1: none.
 */
export function choose(text: string, buttons: readonly MessageButton[]): number {
  const said = normalizeForSearch(text).replace(/[.!?؟]+$/u, '');
  if (!said) return -1;
  if (/^\d{1,2}$/.test(said)) {
    const n = Number(said);
    return n >= 1 && n <= buttons.length ? n - 1 : -1;
  }
  return buttons.findIndex((b) => {
    const cut = Buffer.from(b.value, 'utf8').subarray(0, TELEGRAM_CALLBACK_BYTES).toString('utf8');
    return [b.label, b.value, cut].some((v) => normalizeForSearch(v) === said);
  });
}

/** Whether the text has anything to read: letters or digits, not only emoji or punctuation. */
export function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

const LOCALE: Record<BotLanguage, string> = { en: 'en-GB', fa: 'fa-IR', ru: 'ru-RU' };

/** A time as the customer reads it, in the business's time zone (Persian calendar for fa). */
export function formatWhen(at: Date, language: BotLanguage, timeZone: string): string {
  return new Intl.DateTimeFormat(LOCALE[language], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(at);
}

export function formatDate(at: Date, language: BotLanguage): string {
  return new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'long', timeZone: 'UTC' }).format(
    at,
  );
}

export function formatAmount(amount: string, currency: string, language: BotLanguage): string {
  const value = Number(amount);
  try {
    return new Intl.NumberFormat(LOCALE[language], { style: 'currency', currency }).format(value);
  } catch {
    return `${new Intl.NumberFormat(LOCALE[language]).format(value)} ${currency}`;
  }
}

/**
 * Hands the conversation to people: tells the customer when they will answer (unless a
 * complaint's confirmation said so already), and the bot falls silent for good.
 */
export async function handover(
  context: TurnContext,
  reason: HandoverReason,
  fields?: ComplaintFields,
): Promise<void> {
  const { memory, texts, language } = turnOf(context);
  const ports = portsOf(context);
  if (reason !== 'complaint') {
    const hours = await ports.hours();
    if (hours.openNow || !hours.opensAt) await say(context, texts.handoverOpen);
    else
      await say(
        context,
        `${fill(texts.handoverClosed, { opens: formatWhen(hours.opensAt, language, hours.timeZone) })}\n${texts.handoverLeaveDetails}`,
      );
  }
  memory.ended = true;
  memory.lastButtons = [];
  await ports.handover(reason, fields);
}

/** One more misunderstanding; the second in a row hands over. True when it did. */
export async function misunderstood(context: TurnContext): Promise<boolean> {
  const { memory } = turnOf(context);
  memory.misunderstood += 1;
  if (memory.misunderstood < 2) return false;
  await handover(context, 'misunderstood');
  return true;
}

export function understood(context: TurnContext): void {
  turnOf(context).memory.misunderstood = 0;
}

/**
 * Waits for another answer to the question this waterfall step just asked: the step runs again
 * on the next turn (a waterfall resumes at the step after `stepIndex`).
 */
export function askAgain(step: WaterfallStepContext): DialogTurnResult {
  const state = step.activeDialog?.state as { stepIndex?: unknown } | undefined;
  if (state && typeof state.stepIndex === 'number') state.stepIndex -= 1;
  return Dialog.EndOfTurn;
}
