import { Dialog, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { portsOf } from '../ports';
import { fill, type BotTexts } from '../texts';
import { buttonsOf, choose, handover, misunderstood, say, turnOf, understood } from './turn';

export const MAIN = 'main';
export const KB = 'kb';

export function menuButtons(t: BotTexts) {
  return buttonsOf([t.menuQuestion, t.menuOrder, t.menuComplaint, t.menuAgent]);
}

/** Options of the main dialog: `consider` the customer's first words as a question. */
interface MainOptions {
  consider?: boolean;
}

/**
 * The main menu: a greeting once (with the customer's name when known), then the menu; a free
 * text is looked up in the knowledge base; two misunderstandings in a row hand over.
 */
export function mainDialog(): WaterfallDialog {
  return new WaterfallDialog(MAIN, [
    async (step: WaterfallStepContext) => {
      const { memory, texts, language, text } = turnOf(step.context);
      if (!memory.greeted) {
        memory.greeted = true;
        const name = step.context.activity.from?.name?.trim();
        await say(step.context, name ? fill(texts.greetingNamed, { name }) : texts.greeting);
        const options = (step.options ?? {}) as MainOptions;
        if (options.consider && text) {
          const answer = await portsOf(step.context).answer(language, text);
          if (answer) await say(step.context, answer);
        }
      }
      await say(step.context, texts.menuPrompt, menuButtons(texts));
      return Dialog.EndOfTurn;
    },
    async (step) => {
      const { texts, language, text } = turnOf(step.context);
      switch (choose(text, menuButtons(texts))) {
        case 0:
          understood(step.context);
          return step.beginDialog(KB);
        case 1:
          understood(step.context);
          return step.beginDialog('order');
        case 2:
          understood(step.context);
          return step.beginDialog('complaint');
        case 3:
          await handover(step.context, 'asked');
          return step.cancelAllDialogs();
      }
      const answer = await portsOf(step.context).answer(language, text);
      if (answer) {
        understood(step.context);
        await say(step.context, answer);
        return step.replaceDialog(MAIN);
      }
      if (await misunderstood(step.context)) return step.cancelAllDialogs();
      await say(step.context, texts.notUnderstood);
      return step.replaceDialog(MAIN);
    },
    async (step) => {
      if (turnOf(step.context).memory.ended) return step.cancelAllDialogs();
      return step.replaceDialog(MAIN);
    },
  ]);
}

/** A question for the knowledge base. */
export function kbDialog(): WaterfallDialog {
  return new WaterfallDialog(KB, [
    async (step) => {
      await say(step.context, turnOf(step.context).texts.askQuestion);
      return Dialog.EndOfTurn;
    },
    async (step) => {
      const { texts, language, text } = turnOf(step.context);
      const answer = await portsOf(step.context).answer(language, text);
      if (answer) {
        understood(step.context);
        await say(step.context, answer);
        return step.endDialog();
      }
      if (await misunderstood(step.context)) return step.cancelAllDialogs();
      await say(step.context, texts.noAnswer);
      return step.endDialog();
    },
  ]);
}
