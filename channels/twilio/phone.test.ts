import { describe, expect, it } from 'vitest';
import { normalizePhone, phoneIdentity, westernDigits } from './phone';

describe('normalizePhone', () => {
  it.each([
    ['+15555550123', undefined, '+15555550123'],
    ['+1 (555) 555-0123', undefined, '+15555550123'],
    ['001 555 555 0123', undefined, '+15555550123'],
    ['+98 912 123 4567', undefined, '+989121234567'],
    ['۰۹۱۲۱۲۳۴۵۶۷', 'IR', '+989121234567'],
    ['+۹۸۹۱۲۱۲۳۴۵۶۷', undefined, '+989121234567'],
    ['٠٩١٢١٢٣٤٥٦٧', 'IR', '+989121234567'],
    ['8 (916) 123-45-67', 'RU', '+79161234567'],
    ['+7 916 123 45 67', undefined, '+79161234567'],
    ['\u200e+98 912 123 4567\u200f', undefined, '+989121234567'],
    ['09121234567', undefined, undefined],
    ['hello', undefined, undefined],
    ['+1 555', undefined, undefined],
  ] as const)('%j (%s) → %s', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });

  it('keeps a sender that is not a number (short code, client) as given', () => {
    expect(phoneIdentity('+15555550123')).toBe('+15555550123');
    expect(phoneIdentity('12345')).toBe('12345');
    expect(phoneIdentity('client:alice')).toBe('client:alice');
  });

  it('turns Persian and Arabic-Indic digits into ASCII', () => {
    expect(westernDigits('سفارش ۴۵۱۲ و ٤٥١٢')).toBe('سفارش 4512 و 4512');
  });
});
