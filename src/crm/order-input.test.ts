import { describe, expect, it } from 'vitest';
import { normalizeIdentity, normalizeOrder, parseAmount, parseOrderTime } from './order-input';

describe('parseAmount', () => {
  it.each([
    [12, '12.00'],
    ['12.5', '12.50'],
    ['1,234.50', '1234.50'],
    ['1.234,50', '1234.50'],
    ['12,5', '12.50'],
    ['۱۲٬۳۴۵٫۶', '12345.60'],
    ['1 234', '1234.00'],
    ['-20', '-20.00'],
    ['(20)', '-20.00'],
  ])('%j → %s', (raw, expected) => {
    expect(parseAmount(raw)).toBe(expected);
  });
  it.each(['ten', '', '1,2,3', '1e5', 'NaN', Number.POSITIVE_INFINITY, 1e13, null])(
    'refuses %j',
    (raw) => {
      expect(parseAmount(raw)).toBeUndefined();
    },
  );
});

describe('parseOrderTime', () => {
  it.each([
    ['2025-03-05T10:00:00Z', '2025-03-05T10:00:00.000Z'],
    ['2025-03-05T10:00:00+03:30', '2025-03-05T06:30:00.000Z'],
    ['2025-03-05', '2025-03-05T00:00:00.000Z'],
    ['2025-03-05 14:30', '2025-03-05T14:30:00.000Z'],
    ['05.03.2025', '2025-03-05T00:00:00.000Z'],
    ['05/03/2025 08:15:30', '2025-03-05T08:15:30.000Z'],
    ['2025/3/5', '2025-03-05T00:00:00.000Z'],
    ['۱۴۰۴-۰۱-۰۱', '2025-03-21T00:00:00.000Z'],
    ['1403/12/30 09:00', '2025-03-20T09:00:00.000Z'],
  ])('%s', (raw, iso) => {
    expect(parseOrderTime(raw)?.toISOString()).toBe(iso);
  });
  it.each(['2025-02-30', '31.04.2025', '1403/12/31', 'yesterday', '2025-03-05 25:00', ''])(
    'refuses %j',
    (raw) => {
      expect(parseOrderTime(raw)).toBeUndefined();
    },
  );
});

describe('normalizeOrder', () => {
  it('normalises the identity and defaults the currency', () => {
    expect(
      normalizeOrder(
        {
          externalId: 7,
          identity: { kind: 'email', value: ' A@B.com ' },
          amount: '5',
          placedAt: '2025-01-01',
        },
        0,
        'IRR',
      ),
    ).toEqual({
      index: 0,
      externalId: '7',
      contactId: null,
      identity: { kind: 'email', value: 'a@b.com' },
      amount: '5.00',
      currency: 'IRR',
      orderedAt: new Date('2025-01-01T00:00:00Z'),
      original: null,
    });
    expect(normalizeIdentity('phone', '0098 912 123 4567')).toEqual({
      kind: 'phone',
      value: '+989121234567',
    });
    expect(normalizeIdentity('fax', '123')).toBeUndefined();
  });
  it.each([
    [
      { identity: { kind: 'email', value: 'a@b.c' }, amount: 1, placedAt: '2025-01-01' },
      'invalid_external_id',
    ],
    [{ externalId: 'x', amount: 1, placedAt: '2025-01-01' }, 'missing_customer'],
    [{ externalId: 'x', contactId: 'nope', amount: 1, placedAt: '2025-01-01' }, 'invalid_contact'],
    [
      {
        externalId: 'x',
        identity: { kind: 'email', value: 'no-at' },
        amount: 1,
        placedAt: '2025-01-01',
      },
      'invalid_identity',
    ],
    [
      {
        externalId: 'x',
        identity: { kind: 'email', value: 'a@b.c' },
        amount: 1,
        currency: 'ABC',
        placedAt: '2025-01-01',
      },
      'unknown_currency',
    ],
  ])('%j → %s', (raw, code) => {
    expect(normalizeOrder(raw, 3, 'USD')).toMatchObject({ index: 3, code });
  });
});

describe('currency policy', () => {
  const policy = { base: 'IRR', rates: { USD: 600000, EUR: 650000.5 } };
  const order = (amount: string, currency?: string) => ({
    externalId: 'X',
    identity: { kind: 'email', value: 'a@b.co' },
    amount,
    currency,
    placedAt: '2025-01-01',
  });

  it('converts an accepted currency into the base one and keeps what was sent', () => {
    expect(normalizeOrder(order('-12.5', 'usd'), 0, policy)).toMatchObject({
      amount: '-7500000.00',
      currency: 'IRR',
      original: { amount: '-12.50', currency: 'USD' },
    });
    expect(normalizeOrder(order('1', 'EUR'), 0, policy)).toMatchObject({ amount: '650000.50' });
    expect(normalizeOrder(order('۱۲۰'), 0, policy)).toMatchObject({
      amount: '120.00',
      currency: 'IRR',
      original: null,
    });
  });

  it('refuses a currency that is not accepted, and a conversion too large to store', () => {
    expect(normalizeOrder(order('1', 'GBP'), 4, policy)).toMatchObject({
      index: 4,
      code: 'currency_not_accepted',
    });
    expect(normalizeOrder(order('999999999', 'USD'), 0, policy)).toMatchObject({
      code: 'amount_out_of_range',
    });
  });

  it('accepts any ISO currency as sent when no rates are set', () => {
    expect(normalizeOrder(order('1', 'GBP'), 0, { base: 'IRR', rates: {} })).toMatchObject({
      amount: '1.00',
      currency: 'GBP',
      original: null,
    });
  });
});
