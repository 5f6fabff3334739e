import { describe, expect, it } from 'vitest';
import { fieldOfError, proposeMapping } from './import-mapping';

describe('proposeMapping', () => {
  it('maps English headers whatever their case and punctuation', () => {
    expect(proposeMapping(['Order ID', 'E-mail', 'Total', 'Order date', 'Currency'])).toEqual({
      externalId: 'Order ID',
      email: 'E-mail',
      amount: 'Total',
      placedAt: 'Order date',
      currency: 'Currency',
    });
  });

  it('maps Persian and Russian headers', () => {
    expect(proposeMapping(['شماره سفارش', 'تلفن', 'مبلغ', 'تاریخ'])).toEqual({
      externalId: 'شماره سفارش',
      phone: 'تلفن',
      amount: 'مبلغ',
      placedAt: 'تاریخ',
    });
    expect(proposeMapping(['Номер заказа', 'Почта', 'Сумма', 'Дата', 'Валюта'])).toEqual({
      externalId: 'Номер заказа',
      email: 'Почта',
      amount: 'Сумма',
      placedAt: 'Дата',
      currency: 'Валюта',
    });
  });

  it('leaves fields it cannot place unmapped and never uses a column twice', () => {
    expect(proposeMapping(['foo', 'bar'])).toEqual({});
    expect(proposeMapping(['id', 'contact id', 'amount'])).toEqual({
      externalId: 'id',
      contactId: 'contact id',
      amount: 'amount',
    });
  });
});

describe('fieldOfError', () => {
  it('points each row error at its column', () => {
    expect(fieldOfError('duplicate_external_id')).toBe('externalId');
    expect(fieldOfError('currency_not_accepted')).toBe('currency');
    expect(fieldOfError('invalid_date')).toBe('placedAt');
    expect(fieldOfError('unknown_contact')).toBe('customer');
  });
});
