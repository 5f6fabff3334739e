import { describe, expect, it } from 'vitest';
import { ConversationState, MemoryStorage, TestAdapter, type Activity } from 'botbuilder-core';
import type { BotLanguage } from '../db/schema';
import { SwitchboardBot, type CustomerFacts } from './bot';
import { matchKb, type KbEntry } from './kb-match';
import { setPorts, type BotPorts, type ComplaintFields, type HandoverReason } from './ports';
import { DEFAULT_BOT_TEXTS, mergeTexts } from './texts';

const KB: KbEntry[] = [
  {
    id: 'delivery',
    questions: {
      en: ['How long does delivery take?'],
      ru: ['Сколько идёт доставка?'],
      fa: ['ارسال چقدر طول می‌کشد؟'],
    },
    answers: {
      en: 'Delivery takes 2–4 working days.',
      ru: 'Доставка занимает 2–4 рабочих дня.',
      fa: 'ارسال ۲ تا ۴ روز کاری طول می‌کشد.',
    },
  },
];

const CATEGORIES = {
  en: ['Delivery', 'Billing and payment'],
  fa: ['ارسال و تحویل', 'پرداخت و صورت‌حساب'],
  ru: ['Доставка', 'Оплата и счета'],
};

interface World {
  ports: BotPorts;
  complaints: ComplaintFields[];
  handovers: { reason: HandoverReason; fields?: ComplaintFields | undefined }[];
  remembered: BotLanguage[];
}

function world(opts: { open?: boolean; due?: Date | null } = {}): World {
  const w: World = {
    complaints: [],
    handovers: [],
    remembered: [],
    ports: {
      texts: async (l) => mergeTexts(l, {}),
      answer: async (l, q) => matchKb(KB, l, q)?.answer ?? null,
      findOrder: async (n) =>
        n === '1001'
          ? {
              externalId: '1001',
              amount: '25.00',
              currency: 'EUR',
              orderedAt: new Date('2026-11-02T10:00:00Z'),
            }
          : null,
      categories: async (l) =>
        CATEGORIES[l].map((name, i) => ({ key: ['delivery', 'billing'][i]!, name })),
      rememberLanguage: async (l) => void w.remembered.push(l),
      openComplaint: async (fields) => {
        w.complaints.push(fields);
        return {
          reference: 'C-26-0007',
          dueAt: opts.due === undefined ? new Date('2026-12-01T09:30:00Z') : opts.due,
        };
      },
      hours: async () => ({
        openNow: opts.open ?? true,
        opensAt: opts.open === false ? new Date('2026-12-01T06:00:00Z') : null,
        timeZone: 'Europe/Berlin',
      }),
      handover: async (reason, fields) => void w.handovers.push({ reason, fields }),
    },
  };
  return w;
}

function harness(w: World, customer: CustomerFacts, storage = new MemoryStorage(), name = 'Sara') {
  const bot = new SwitchboardBot(new ConversationState(storage));
  const adapter = new TestAdapter(
    async (context) => {
      setPorts(context, w.ports);
      await bot.run(context, customer);
    },
    { from: { id: 'contact-1', name } },
  );
  return { adapter, storage };
}

const buttonsOf = (a: Partial<Activity>) => (a.suggestedActions?.actions ?? []).map((x) => x.title);

/** A reply's text and buttons, asserted together. */
const reply = (text: string | RegExp, buttons?: string[]) => (a: Partial<Activity>) => {
  if (typeof text === 'string') expect(a.text).toBe(text);
  else expect(a.text).toMatch(text);
  if (buttons) expect(buttonsOf(a)).toEqual(buttons);
};

const LANGS: BotLanguage[] = ['en', 'fa', 'ru'];

describe.each(LANGS)('the bot in %s', (lang) => {
  const t = DEFAULT_BOT_TEXTS[lang];
  const menu = [t.menuQuestion, t.menuOrder, t.menuComplaint, t.menuAgent];
  const hello = { en: 'hello', fa: 'سلام', ru: 'привет' }[lang];

  it('greets by name, shows the menu and takes a complaint down to its reference', async () => {
    const w = world();
    const { adapter } = harness(w, { profileLanguage: lang, hint: null });
    await adapter
      .send(hello)
      .assertReply(reply(t.greetingNamed.replace('{name}', 'Sara')))
      .assertReply(reply(t.menuPrompt, menu))
      .send(t.menuComplaint)
      .assertReply(reply(t.askCategory, CATEGORIES[lang]))
      .send(CATEGORIES[lang][0]!)
      .assertReply(reply(t.askDescription))
      .send('The parcel arrived broken / Посылка пришла разбитой / بسته شکسته رسید')
      .assertReply(reply(t.askOrderOptional, [t.skip]))
      .send('#1001')
      .assertReply(reply(t.askDesiredOutcome))
      .send('A new one')
      .assertReply(reply(/1001/, [t.yes, t.no]))
      .send(t.yes)
      .assertReply(reply(/C-26-0007/))
      .startTest();
    expect(w.complaints).toEqual([
      {
        category: 'delivery',
        categoryName: CATEGORIES[lang][0],
        description: 'The parcel arrived broken / Посылка пришла разбитой / بسته شکسته رسید',
        order: '1001',
        desiredOutcome: 'A new one',
      },
    ]);
    expect(w.handovers.map((h) => h.reason)).toEqual(['complaint']);
    expect(w.handovers[0]!.fields?.category).toBe('delivery');
  });

  it('answers from the knowledge base, then hands over after two misunderstandings', async () => {
    const w = world();
    const { adapter } = harness(w, { profileLanguage: lang, hint: null });
    const question = KB[0]!.questions[lang]![0]!;
    await adapter
      .send(question)
      .assertReply(reply(t.greetingNamed.replace('{name}', 'Sara')))
      .assertReply(reply(KB[0]!.answers[lang]!))
      .assertReply(reply(t.menuPrompt, menu))
      .send('qwerty zxcv')
      .assertReply(reply(t.notUnderstood))
      .assertReply(reply(t.menuPrompt, menu))
      .send('asdf ghjk')
      .assertReply(reply(t.handoverOpen))
      .send('anyone there?')
      .startTest();
    expect(w.handovers.map((h) => h.reason)).toEqual(['misunderstood']);
  });

  it('tells an order’s status by its number, and only for the customer’s own orders', async () => {
    const w = world();
    const { adapter } = harness(w, { profileLanguage: lang, hint: null });
    await adapter
      .send(hello)
      .assertReply(() => undefined)
      .assertReply(reply(t.menuPrompt, menu))
      .send('2')
      .assertReply(reply(t.askOrderNumber))
      .send('9999')
      .assertReply(reply(t.orderNotFound.replace('{order}', '9999')))
      .assertReply(reply(t.askOrderNumber))
      .send('1001')
      .assertReply(reply(/1001/))
      .assertReply(reply(t.menuPrompt, menu))
      .startTest();
    expect(w.handovers).toEqual([]);
  });

  it('hands over on a handover word in the middle of the intake, outside business hours with the time', async () => {
    const w = world({ open: false });
    const { adapter } = harness(w, { profileLanguage: lang, hint: null });
    const word = { en: 'I want a human', fa: 'کارشناس می‌خواهم', ru: 'Позовите оператора' }[lang];
    await adapter
      .send(hello)
      .assertReply(() => undefined)
      .assertReply(() => undefined)
      .send('3')
      .assertReply(reply(t.askCategory))
      .send(word)
      .assertReply(reply(new RegExp(t.handoverLeaveDetails.replace(/[.?]/g, '.'))))
      .startTest();
    expect(w.handovers.map((h) => h.reason)).toEqual(['asked']);
  });
});

describe('the bot, whatever it is sent', () => {
  it('asks the language once when nothing tells it, and keeps the answer on the profile', async () => {
    const w = world();
    const { adapter } = harness(w, { profileLanguage: null, hint: null });
    await adapter
      .send('hi')
      .assertReply(reply(DEFAULT_BOT_TEXTS.en.askLanguage, ['English', 'فارسی', 'Русский']))
      .send('2')
      .assertReply(reply(DEFAULT_BOT_TEXTS.fa.greetingNamed.replace('{name}', 'Sara')))
      .assertReply(reply(DEFAULT_BOT_TEXTS.fa.menuPrompt))
      .startTest();
    expect(w.remembered).toEqual(['fa']);
  });

  it('takes the language from the channel’s hint or the script without asking', async () => {
    const w = world();
    const { adapter } = harness(w, { profileLanguage: null, hint: null }, undefined, '');
    await adapter.send('Добрый день').assertReply(reply(DEFAULT_BOT_TEXTS.ru.greeting)).startTest();
    const v = world();
    const h = harness(v, { profileLanguage: null, hint: 'fa-IR' }, undefined, '');
    await h.adapter.send('hello').assertReply(reply(DEFAULT_BOT_TEXTS.fa.greeting)).startTest();
    expect([...w.remembered, ...v.remembered]).toEqual(['ru', 'fa']);
  });

  it('survives emoji, empty text, a 10,000-character message and menu nonsense', async () => {
    const w = world();
    const { adapter } = harness(w, { profileLanguage: 'en', hint: null });
    const t = DEFAULT_BOT_TEXTS.en;
    await adapter
      .send('😀😀😀')
      .assertReply(reply(t.emptyMessage))
      .send('x'.repeat(10_000))
      .assertReply(reply(t.greetingNamed.replace('{name}', 'Sara')))
      .assertReply(reply(t.menuPrompt))
      .send('42')
      .assertReply(reply(t.notUnderstood))
      .assertReply(reply(t.menuPrompt))
      .startTest();
    expect(w.handovers).toEqual([]);
  });

  it('hands a legal threat or anger straight to a person', async () => {
    for (const [text, reason] of [
      ['I will see you in court', 'legal'],
      ['Это обман!', 'anger'],
    ] as const) {
      const w = world();
      const { adapter } = harness(w, { profileLanguage: null, hint: null });
      await adapter
        .send(text)
        .assertReply(() => undefined)
        .startTest();
      expect(w.handovers.map((h) => h.reason)).toEqual([reason]);
    }
  });

  it('starts afresh over state written by an older version, never failing the turn', async () => {
    const storage = new MemoryStorage();
    const w = world();
    // What a version 0 might have left: another memory shape and a dialog that no longer exists.
    const first = harness(w, { profileLanguage: 'ru', hint: null }, storage);
    await first.adapter
      .send('привет')
      .assertReply(() => undefined)
      .startTest();
    const key = Object.keys(JSON.parse(JSON.stringify(storage)).memory as object)[0]!;
    const [stored] = Object.values(await storage.read([key]));
    await storage.write({
      [key]: {
        ...stored,
        bot: { version: 0, lang: 'ru', step: 'menu' },
        dialogState: { dialogStack: [{ id: 'legacyMenu', state: {} }] },
        eTag: '*',
      },
    });
    const again = harness(w, { profileLanguage: 'ru', hint: null }, storage);
    await again.adapter
      .send('привет')
      .assertReply(reply(DEFAULT_BOT_TEXTS.ru.greetingNamed.replace('{name}', 'Sara')))
      .assertReply(reply(DEFAULT_BOT_TEXTS.ru.menuPrompt))
      .startTest();
  });
});
