import { Dialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { portsOf, type ComplaintFields } from '../ports';
import { fill } from '../texts';
import {
  askAgain,
  buttonsOf,
  choose,
  formatWhen,
  handover,
  hasWords,
  misunderstood,
  say,
  turnOf,
  understood,
} from './turn';
import { orderNumberIn } from './order.dialog';

export const COMPLAINT = 'complaint';

/** What the customer said, as long as a complaint field keeps it. */
const field = (text: string) => text.slice(0, 2000);

type Values = Partial<ComplaintFields> & { categories?: { key: string; name: string }[] };
const valuesOf = (step: WaterfallStepContext) => step.values as Values;

/**
 * Complaint intake: category → what happened → which order (optional) → what would make it
 * right → confirmation; then a level-1 complaint, its reference and when a person will answer,
 * and the conversation goes to people with the fields collected.
 */
export function complaintDialog(): WaterfallDialog {
  return new WaterfallDialog(COMPLAINT, [
    async (step) => {
      const { texts, language } = turnOf(step.context);
      const categories = await portsOf(step.context).categories(language);
      valuesOf(step).categories = categories;
      await say(step.context, texts.askCategory, buttonsOf(categories.map((c) => c.name)));
      return Dialog.EndOfTurn;
    },
    async (step) => {
      const { texts, text } = turnOf(step.context);
      const categories = valuesOf(step).categories ?? [];
      const i = choose(text, buttonsOf(categories.map((c) => c.name)));
      const chosen = categories[i];
      if (!chosen) {
        if (await misunderstood(step.context)) return step.cancelAllDialogs();
        await say(step.context, texts.notUnderstood, turnOf(step.context).memory.lastButtons);
        return askAgain(step);
      }
      understood(step.context);
      Object.assign(valuesOf(step), { category: chosen.key, categoryName: chosen.name });
      await say(step.context, texts.askDescription);
      return Dialog.EndOfTurn;
    },
    async (step) => {
      const { texts, text } = turnOf(step.context);
      if (!hasWords(text)) {
        await say(step.context, texts.askDescription);
        return askAgain(step);
      }
      valuesOf(step).description = field(text);
      await say(step.context, texts.askOrderOptional, buttonsOf([texts.skip]));
      return Dialog.EndOfTurn;
    },
    async (step) => {
      const { texts, text } = turnOf(step.context);
      const skipped = choose(text, buttonsOf([texts.skip])) === 0;
      const number = skipped ? null : orderNumberIn(text);
      const order = number ? await portsOf(step.context).findOrder(number) : null;
      // An order number not among theirs is kept as they wrote it, for a person to check.
      valuesOf(step).order = skipped ? null : (order?.externalId ?? field(text).slice(0, 80));
      await say(step.context, texts.askDesiredOutcome);
      return Dialog.EndOfTurn;
    },
    async (step) => {
      const { texts, text } = turnOf(step.context);
      const v = valuesOf(step);
      v.desiredOutcome = field(text);
      await say(
        step.context,
        fill(texts.confirmComplaint, {
          category: v.categoryName ?? '',
          description: v.description ?? '',
          order: v.order ?? '—',
          outcome: v.desiredOutcome,
        }),
        buttonsOf([texts.yes, texts.no]),
      );
      return Dialog.EndOfTurn;
    },
    async (step) => {
      const { texts, language, text } = turnOf(step.context);
      const answer = choose(text, buttonsOf([texts.yes, texts.no]));
      if (answer === 1) {
        understood(step.context);
        await say(step.context, texts.complaintCancelled);
        return step.endDialog();
      }
      if (answer !== 0) {
        if (await misunderstood(step.context)) return step.cancelAllDialogs();
        await say(step.context, texts.notUnderstood, buttonsOf([texts.yes, texts.no]));
        return askAgain(step);
      }
      const v = valuesOf(step);
      const fields: ComplaintFields = {
        category: v.category ?? '',
        categoryName: v.categoryName ?? '',
        description: v.description ?? '',
        order: v.order ?? null,
        desiredOutcome: v.desiredOutcome ?? '',
      };
      const ports = portsOf(step.context);
      const { reference, dueAt } = await ports.openComplaint(fields);
      const hours = await ports.hours();
      const message = dueAt
        ? fill(texts.complaintCreated, {
            reference,
            due: formatWhen(dueAt, language, hours.timeZone),
          })
        : hours.openNow || !hours.opensAt
          ? fill(texts.complaintCreatedSoon, { reference })
          : fill(texts.complaintCreatedClosed, {
              reference,
              opens: formatWhen(hours.opensAt, language, hours.timeZone),
            });
      await say(step.context, message);
      await handover(step.context, 'complaint', fields);
      return step.cancelAllDialogs();
    },
  ]);
}
