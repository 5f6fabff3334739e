import { describe, expect, it } from 'vitest';
import { CsvError, readCsv, resolveMapping, rowToOrder } from './csv';

describe('readCsv', () => {
  it('drops a BOM, finds the ; separator and reads quoted fields with separators, quotes and breaks', () => {
    const text =
      '\ufeffid;name;amount\r\n1;"Sara; ""the"" buyer";"1.234,50"\r\n2;"two\nlines";7\r\n\r\n';
    expect([...readCsv(text)]).toEqual([
      ['id', 'name', 'amount'],
      ['1', 'Sara; "the" buyer', '1.234,50'],
      ['2', 'two\nlines', '7'],
    ]);
  });

  it('reads comma and tab files', () => {
    expect([...readCsv('a,b\n1,2')]).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect([...readCsv('a\tb\n1\t2\n')]).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it.each([
    ['a,b\n"open,2', /not closed/],
    ['a,b\n"x"y,2', /after a closing quote/],
    ['a,b\nx"y,2', /quote inside/],
  ])('refuses broken quoting: %j', (text, message) => {
    expect(() => [...readCsv(text)]).toThrow(message);
  });
});

describe('mapping', () => {
  const header = ['Order', 'E-mail', 'Total', 'Date', 'Cur'];
  it('maps columns by name, case-insensitively, to the JSON order shape', () => {
    const at = resolveMapping(header, {
      externalId: 'order',
      email: 'e-mail',
      amount: 'TOTAL',
      placedAt: 'Date',
      currency: 'cur',
    });
    expect(rowToOrder(['A1', 'x@example.com', '12', '2025-01-01', 'EUR'], at)).toEqual({
      externalId: 'A1',
      contactId: undefined,
      identity: { kind: 'email', value: 'x@example.com' },
      amount: '12',
      currency: 'EUR',
      placedAt: '2025-01-01',
    });
  });
  it('names a missing column and requires a customer column', () => {
    expect(() =>
      resolveMapping(header, {
        externalId: 'order',
        email: 'mail',
        amount: 'Total',
        placedAt: 'Date',
      }),
    ).toThrow(CsvError);
    expect(() =>
      resolveMapping(header, { externalId: 'order', amount: 'Total', placedAt: 'Date' }),
    ).toThrow(/contactId, email or phone/);
  });
});
