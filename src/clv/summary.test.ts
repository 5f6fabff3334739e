import { describe, expect, it } from 'vitest';
import { dayNumber, summarize, summarizeCustomer } from './summary';

const at = (iso: string, amount: number) => ({ amount, orderedAt: new Date(iso) });

describe('summarizeCustomer', () => {
  it('one day is one transaction, asOf includes its own day, spend is the mean over repeat days', () => {
    const s = summarizeCustomer(
      'c',
      [
        at('2025-01-01T09:00:00Z', 10),
        at('2025-01-01T18:00:00Z', 5), // same day: one transaction of 15
        at('2025-01-11T10:00:00Z', 20),
        at('2025-01-21T23:59:59Z', 40), // on asOf: included
        at('2025-01-22T00:00:00Z', 1000), // after asOf: ignored
      ],
      '2025-01-21',
    );
    expect(s).toEqual({
      contactId: 'c',
      frequency: 2,
      recency: 20,
      T: 20,
      monetary: 30,
      historicValue: 75,
      firstPurchase: '2025-01-01',
      lastPurchase: '2025-01-21',
    });
  });

  it('a refund lowers its day and the historic value; a refund-only day is no purchase', () => {
    const s = summarizeCustomer(
      'c',
      [
        at('2025-03-01T10:00:00Z', 50),
        at('2025-03-05T10:00:00Z', 30),
        at('2025-03-05T12:00:00Z', -10),
        at('2025-03-09T10:00:00Z', -20),
      ],
      '2025-03-31',
    );
    expect(s.frequency).toBe(1);
    expect(s.recency).toBe(4);
    expect(s.T).toBe(30);
    expect(s.monetary).toBe(20);
    expect(s.historicValue).toBe(50);
  });

  it('a customer with orders only after asOf has no purchase yet', () => {
    const s = summarizeCustomer('c', [at('2025-05-01T10:00:00Z', 10)], '2025-04-30');
    expect(s.firstPurchase).toBeNull();
    expect(s.frequency).toBe(0);
    expect(s.historicValue).toBe(0);
  });

  it('groups rows by contact', () => {
    const rows = [
      { contactId: 'a', ...at('2025-01-01T10:00:00Z', 1) },
      { contactId: 'b', ...at('2025-01-02T10:00:00Z', 2) },
      { contactId: 'a', ...at('2025-01-03T10:00:00Z', 3) },
    ];
    const byId = Object.fromEntries(summarize(rows, '2025-01-03').map((s) => [s.contactId, s]));
    expect(byId.a?.frequency).toBe(1);
    expect(byId.b?.frequency).toBe(0);
    expect(byId.b?.T).toBe(1);
  });

  it('refuses an asOf that is not a date', () => {
    expect(() => dayNumber('2025-13-45')).toThrow(RangeError);
    expect(() => dayNumber('yesterday')).toThrow(RangeError);
  });
});
