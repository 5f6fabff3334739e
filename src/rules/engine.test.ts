import { describe, expect, it } from 'vitest';
import { conditionsHold, holds, ruleSchema, type Facts } from './engine';
import { SHIPPED_RULES } from './shipped';

const rule = (key: string) => SHIPPED_RULES.find((r) => r.key === key)!;

describe('conditions', () => {
  it.each([
    [{ field: 'contact.tier', op: 'in', value: ['gold'] }, { 'contact.tier': 'gold' }, true],
    [{ field: 'contact.tier', op: 'in', value: ['gold'] }, { 'contact.tier': null }, false],
    [
      { field: 'contact.lifetimeValue', op: 'gte', value: 1000 },
      { 'contact.lifetimeValue': 1000 },
      true,
    ],
    [{ field: 'contact.lifetimeValue', op: 'gte', value: 1000 }, {}, false],
    [{ field: 'complaint.level', op: 'lt', value: 4 }, { 'complaint.level': 4 }, false],
    [
      { field: 'conversation.labels', op: 'contains', value: 'vip' },
      { 'conversation.labels': ['vip'] },
      true,
    ],
    [{ field: 'complaint.exists', op: 'eq', value: false }, { 'complaint.exists': false }, true],
    [{ field: 'contact.tier', op: 'exists' }, { 'contact.tier': 'silver' }, true],
    [{ field: 'contact.tier', op: 'exists', value: false }, { 'contact.tier': null }, true],
    [
      { field: 'message.text', op: 'notContainsAny', value: ['refund'] },
      { 'message.text': 'ok' },
      true,
    ],
  ] as const)('%j over %j is %s', (condition, facts, expected) => {
    expect(holds(condition as Parameters<typeof holds>[0], facts as Facts)).toBe(expected);
  });

  it('needs all of `all` and one of `any`', () => {
    const c = rule('ladder.high-value').conditions;
    expect(conditionsHold(c, { 'complaint.level': 1, 'contact.tier': 'gold' })).toBe(true);
    expect(conditionsHold(c, { 'complaint.level': 1, 'contact.lifetimeValue': 5000 })).toBe(true);
    expect(conditionsHold(c, { 'complaint.level': 1, 'contact.tier': 'bronze' })).toBe(false);
    expect(conditionsHold(c, { 'complaint.level': 2, 'contact.tier': 'gold' })).toBe(false);
  });
});

describe('the shipped legal-risk rule', () => {
  const legal = rule('ladder.legal').conditions;
  const says = (text: string) =>
    conditionsHold(legal, { 'message.direction': 'in', 'message.text': text });

  it.each([
    'اگر تا فردا حل نشود به تعزیرات شکایت می‌کنم',
    'از طریق سازمان حمایت از حقوق مصرف کننده پیگیری می‌کنم',
    'وکیلم با شما تماس می‌گیرد',
    'Я подам в суд на ваш магазин',
    'Жалоба уже в Роспотребнадзоре',
    'Передам дело адвокату',
    'I will take this to court',
    'My lawyer will contact you',
    'I have written to the ombudsman',
  ])('escalates «%s»', (text) => {
    expect(says(text)).toBe(true);
  });

  it.each([
    'کی سفارشم می‌رسد؟',
    'Заказал судно, где оно?',
    'Посуда пришла разбитой',
    'Please press the button again',
    'Thanks for your courtesy',
  ])('leaves «%s» alone', (text) => {
    expect(says(text)).toBe(false);
  });

  it('never fires on our own messages', () => {
    expect(conditionsHold(legal, { 'message.direction': 'out', 'message.text': 'court' })).toBe(
      false,
    );
  });
});

describe('rule validation', () => {
  it('accepts every shipped rule', () => {
    for (const r of SHIPPED_RULES) {
      const { key: _key, ...definition } = r;
      expect(ruleSchema.safeParse(definition).success, r.key).toBe(true);
    }
  });

  it.each([
    [
      { field: 'contact.tier', op: 'gt', value: 3 },
      'contact.tier takes eq, neq, in, notIn, exists',
    ],
    [{ field: 'nope', op: 'eq', value: 1 }, 'Invalid option'],
    [{ field: 'complaint.level', op: 'eq', value: 'two' }, 'value does not fit complaint.level eq'],
    [
      { field: 'message.text', op: 'containsAny', value: [] },
      'value does not fit message.text containsAny',
    ],
  ])('refuses %j', (condition, message) => {
    const parsed = ruleSchema.safeParse({
      name: 'x',
      event: 'message.created',
      conditions: { all: [condition] },
      actions: [{ type: 'flagLegal' }],
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain(message);
  });
});
