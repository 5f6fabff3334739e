import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder-core';
import type { MessageButton } from '../conversations/dto';

/** What the bot said in a turn, as our messages carry it. */
export interface BotReply {
  text: string;
  buttons?: MessageButton[];
}

const OUTBOX = Symbol('switchboard.outbox');

/** A message activity's text and suggested actions → a reply with buttons. */
export function replyOf(activity: Partial<Activity>): BotReply | null {
  if ((activity.type ?? ActivityTypes.Message) !== ActivityTypes.Message) return null;
  const text = activity.text ?? '';
  const buttons = (activity.suggestedActions?.actions ?? [])
    .map((a) => ({
      label: String(a.title ?? a.value ?? ''),
      value: String(a.value ?? a.title ?? ''),
    }))
    .filter((b) => b.label && b.value);
  if (!text.trim() && !buttons.length) return null;
  return buttons.length ? { text, buttons } : { text };
}

/**
 * Our own botbuilder adapter: a customer's message on a conversation the bot holds becomes an
 * Activity and a turn; whatever the bot sends in the turn is collected (not sent), so the caller
 * posts it through the delivery queue as the bot's messages, in the same transaction as the
 * turn's state. The channel behind the conversation (Telegram, web chat, SMS…) renders buttons
 * its own way. Messages cannot be edited or deleted on customers' channels, so neither can the
 * bot's.
 */
export class SwitchboardAdapter extends BotAdapter {
  async processActivity(
    activity: Partial<Activity>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<BotReply[]> {
    const context = new TurnContext(this, activity);
    const outbox: BotReply[] = [];
    context.turnState.set(OUTBOX, outbox);
    await this.runMiddleware(context, logic);
    return outbox;
  }

  async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const outbox = context.turnState.get(OUTBOX) as BotReply[] | undefined;
    if (!outbox) throw new Error('a bot turn sent outside processActivity');
    return activities.map((activity, i) => {
      const reply = replyOf(activity);
      if (reply) outbox.push(reply);
      return { id: `${context.activity.id ?? 'turn'}:${outbox.length}:${i}` };
    });
  }

  async updateActivity(): Promise<void> {
    throw new Error('messages already sent to a customer cannot be changed');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('messages already sent to a customer cannot be deleted');
  }

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    await this.processActivity(
      TurnContext.applyConversationReference(
        { type: ActivityTypes.Event, name: 'continue' },
        reference,
        true,
      ),
      logic,
    );
  }
}
