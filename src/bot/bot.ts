import type { ConversationState } from 'botbuilder-core';
import { type StatePropertyAccessor, type TurnContext } from 'botbuilder-core';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import type { BotLanguage } from '../db/schema';
import { detectLanguage, languageOfScript } from './language';
import { portsOf } from './ports';
import { handoverSignal } from './signals';
import {
  botMemorySchema,
  buttonsOf,
  choose,
  freshMemory,
  handover,
  hasWords,
  misunderstood,
  say,
  setTurn,
  type BotMemory,
} from './dialogs/turn';
import { kbDialog, mainDialog, MAIN } from './dialogs/main.dialog';
import { orderDialog } from './dialogs/order.dialog';
import { complaintDialog } from './dialogs/complaint.dialog';

/** The longest part of a message the bot reads; the rest is for the people who read it later. */
export const BOT_READS_CHARS = 2000;

const LANGUAGE_BUTTONS = buttonsOf(['English', 'فارسی', 'Русский']);
const LANGUAGE_ORDER: BotLanguage[] = ['en', 'fa', 'ru'];

/** Facts of the customer the bot may use: name, profile language, the channel's language hint. */
export interface CustomerFacts {
  profileLanguage: string | null;
  hint: string | null;
}

/**
 * The bot: language first (asked once when nothing tells it), then the dialogs. A handover word,
 * a legal or anger signal hands over at any step. Its memory and dialog stack live in the
 * conversation state; memory from an older version, or a dialog stack naming a dialog that no
 * longer exists, starts the conversation afresh instead of failing the turn.
 */
export class SwitchboardBot {
  private readonly memory: StatePropertyAccessor<unknown>;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly dialogs: DialogSet;

  constructor(readonly state: ConversationState) {
    this.memory = state.createProperty('bot');
    this.dialogState = state.createProperty('dialogState');
    this.dialogs = new DialogSet(this.dialogState)
      .add(mainDialog())
      .add(kbDialog())
      .add(orderDialog())
      .add(complaintDialog());
  }

  /** One turn; the state is saved at its end (an eTag conflict throws, for the caller to retry). */
  async run(context: TurnContext, customer: CustomerFacts): Promise<void> {
    const memory = await this.loadMemory(context);
    const messageId = context.activity.id;
    if (!memory.ended && !(messageId && memory.lastMessageId === messageId)) {
      if (messageId) memory.lastMessageId = messageId;
      await this.turn(context, memory, customer);
    }
    await this.state.saveChanges(context, false);
  }

  private async loadMemory(context: TurnContext): Promise<BotMemory> {
    const raw = await this.memory.get(context);
    const parsed = botMemorySchema.safeParse(raw);
    if (parsed.success) {
      await this.memory.set(context, parsed.data);
      return parsed.data;
    }
    // Written by an older version (or damaged): start afresh, keep the language if it had one.
    const fresh = freshMemory();
    const language = (raw as { language?: unknown } | undefined)?.language;
    if (language === 'en' || language === 'fa' || language === 'ru') fresh.language = language;
    await this.memory.set(context, fresh);
    await this.dialogState.set(context, { dialogStack: [] });
    return fresh;
  }

  private async turn(
    context: TurnContext,
    memory: BotMemory,
    customer: CustomerFacts,
  ): Promise<void> {
    const ports = portsOf(context);
    const text = (context.activity.text ?? '').trim().slice(0, BOT_READS_CHARS);
    const signal = hasWords(text) ? handoverSignal(text) : null;

    let answeredLanguage = false;
    if (!memory.language) {
      const detected = detectLanguage({
        profile: customer.profileLanguage,
        hint: customer.hint,
        text,
      });
      if (detected) memory.language = detected;
      else if (memory.askedLanguage) {
        const i = choose(text, LANGUAGE_BUTTONS);
        memory.language = LANGUAGE_ORDER[i] ?? languageOfScript(text) ?? 'en';
        answeredLanguage = i >= 0;
      } else if (signal) memory.language = 'en';
      else {
        memory.askedLanguage = true;
        const texts = await ports.texts('en');
        setTurn(context, { memory, language: 'en', texts, text });
        await say(context, texts.askLanguage, LANGUAGE_BUTTONS);
        return;
      }
      if (memory.language !== customer.profileLanguage)
        await ports.rememberLanguage(memory.language);
    }
    const language = memory.language;
    const texts = await ports.texts(language);
    // A number answers the buttons last offered (SMS, e-mail): it reads as that button.
    const picked = memory.lastButtons[choose(text, memory.lastButtons)];
    setTurn(context, { memory, language, texts, text: picked?.value ?? text });

    if (signal) {
      await handover(context, signal);
      await this.dialogState.set(context, { dialogStack: [] });
      return;
    }
    if (!hasWords(text) && !answeredLanguage) {
      if (await misunderstood(context)) {
        await this.dialogState.set(context, { dialogStack: [] });
        return;
      }
      await say(context, texts.emptyMessage, memory.lastButtons);
      return;
    }
    const dc = await this.dialogs.createContext(context);
    let result;
    try {
      result = await dc.continueDialog();
    } catch (err) {
      // A stack naming a dialog this version does not have: begin again.
      if (!(err instanceof Error) || !/wasn't found|not found/i.test(err.message)) throw err;
      await this.dialogState.set(context, { dialogStack: [] });
      result = { status: DialogTurnStatus.empty };
    }
    if (result.status === DialogTurnStatus.empty && !memory.ended) {
      memory.misunderstood = 0;
      const fresh = await this.dialogs.createContext(context);
      await fresh.beginDialog(MAIN, { consider: !answeredLanguage });
    }
  }
}
