import { Dialog, WaterfallDialog } from 'botbuilder-dialogs';
import { normalizeForSearch } from '../../search/normalize';
import { portsOf } from '../ports';
import { fill } from '../texts';
import { formatAmount, formatDate, misunderstood, say, turnOf, understood } from './turn';

export const ORDER = 'order';

/** The order number in what the customer wrote: the first word with a digit in it. */
export function orderNumberIn(text: string): string | null {
  const words = normalizeForSearch(text)
    .split(/[\s,;:()]+/u)
    .map((w) => w.replace(/^[#№]+|[.!?؟]+$/gu, ''));
  return words.find((w) => /\d/.test(w) && w.length <= 64) ?? null;
}

/** Order status: an order number that exists among the customer's own orders. */
export function orderDialog(): WaterfallDialog {
  return new WaterfallDialog(ORDER, [
    async (step) => {
      await say(step.context, turnOf(step.context).texts.askOrderNumber);
      return Dialog.EndOfTurn;
    },
    async (step) => {
      const { texts, language, text } = turnOf(step.context);
      const number = orderNumberIn(text);
      const order = number ? await portsOf(step.context).findOrder(number) : null;
      if (order) {
        understood(step.context);
        await say(
          step.context,
          fill(texts.orderFound, {
            order: order.externalId,
            date: formatDate(order.orderedAt, language),
            amount: formatAmount(order.amount, order.currency, language),
          }),
        );
        return step.endDialog();
      }
      await say(step.context, fill(texts.orderNotFound, { order: number ?? text.slice(0, 40) }));
      if (await misunderstood(step.context)) return step.cancelAllDialogs();
      return step.replaceDialog(ORDER);
    },
  ]);
}
