import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_INDIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';

/** Persian (۰–۹) and Arabic-Indic (٠–٩) digits as ASCII digits; everything else unchanged. */
export function westernDigits(text: string): string {
  return text.replace(/[۰-۹٠-٩]/g, (d) => {
    const persian = PERSIAN_DIGITS.indexOf(d);
    return String(persian >= 0 ? persian : ARABIC_INDIC_DIGITS.indexOf(d));
  });
}

/**
 * A phone number in E.164 (`+989121234567`), or undefined when it cannot be one. Accepts what
 * people type or share: spaces, dashes, brackets, `00` instead of `+`, Persian and Arabic-Indic
 * digits, and a national number when `defaultCountry` is given. "Possible" (the right length for
 * the country), not "valid": numbering plans change faster than metadata, and Twilio's own test
 * numbers (+1 555 01xx) are not assigned ones.
 */
export function normalizePhone(raw: string, defaultCountry?: CountryCode): string | undefined {
  let text = westernDigits(raw)
    .replace(/[\u200e\u200f\u202a-\u202e]/g, '')
    .trim();
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  if (!/^\+?[\d\s().\-/]+$/.test(text)) return undefined;
  const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : {});
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** The phone identity of a Twilio sender: E.164 when it is a number, else as given (short code). */
export function phoneIdentity(raw: string): string {
  return normalizePhone(raw) ?? westernDigits(raw).trim();
}
