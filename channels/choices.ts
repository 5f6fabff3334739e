import type { OutboundMessage } from './types';

/**
 * A message's buttons for a channel that has none (SMS, e-mail): a numbered list under the
 * text. The customer answers with the number; whoever asked (the bot, the satisfaction
 * question) reads a number as the button at that place.
 */
export function textWithChoices(message: Pick<OutboundMessage, 'text' | 'buttons'>): string {
  const buttons = message.buttons ?? [];
  if (!buttons.length) return message.text;
  const list = buttons.map((b, i) => `${i + 1}. ${b.label}`).join('\n');
  return message.text.trim() ? `${message.text.trimEnd()}\n\n${list}` : list;
}
