import { describe, expect, it } from 'vitest';
import { matchKb, similarity, type KbEntry } from './kb-match';

const kb: KbEntry[] = [
  {
    id: 'delivery',
    questions: {
      en: ['How long does delivery take?', 'When will my parcel arrive'],
      ru: ['Сколько идёт доставка?', 'Когда придёт посылка'],
      fa: ['ارسال چقدر طول می‌کشد؟', 'بسته من کی می‌رسد'],
    },
    answers: {
      en: 'Delivery takes 2–4 working days.',
      ru: 'Доставка занимает 2–4 рабочих дня.',
      fa: 'ارسال ۲ تا ۴ روز کاری طول می‌کشد.',
    },
  },
  {
    id: 'returns',
    questions: { en: ['How do I return an item?', 'refund policy'], ru: ['Как вернуть товар?'] },
    answers: { en: 'You can return items within 14 days.', ru: 'Товар можно вернуть за 14 дней.' },
  },
];

describe('knowledge base matching', () => {
  it.each([
    ['en', 'how long does the delivery take', 'delivery'],
    ['en', 'When will my parcel arrive?', 'delivery'],
    ['en', 'return an item', 'returns'],
    ['ru', 'сколько идет доставка', 'delivery'],
    ['ru', 'как вернуть товар', 'returns'],
    ['fa', 'ارسال چقدر طول ميكشد', 'delivery'],
    ['fa', 'بسته‌ی من کی میرسد؟', 'delivery'],
  ] as const)('%s: %s → %s', (lang, q, id) => expect(matchKb(kb, lang, q)?.entryId).toBe(id));

  it('answers only in the asked language and only above the threshold', () => {
    expect(matchKb(kb, 'fa', 'How do I return an item?')).toBeNull();
    expect(matchKb(kb, 'en', 'what is the weather')).toBeNull();
    expect(matchKb(kb, 'en', '😀')).toBeNull();
    expect(matchKb(kb, 'en', '')).toBeNull();
  });

  it('scores identical questions 1 and unrelated ones 0', () => {
    expect(similarity('Refund policy', 'refund  POLICY')).toBe(1);
    expect(similarity('banana', 'refund policy')).toBe(0);
  });
});
