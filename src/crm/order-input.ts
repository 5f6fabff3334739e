/**
 * One order as an outside system sends it (JSON or a CSV row), checked and normalised. Pure: the
 * database work is in order.service.ts.
 */
import { isValidJalaaliDate, toGregorian } from 'jalaali-js';
import { normalizePhone, westernDigits } from '../../channels/twilio/phone';
import { identityKind, type IdentityKind } from '../db/schema';

export interface OrderRowError {
  index: number;
  code: string;
  message: string;
}

export interface NormalizedOrder {
  index: number;
  externalId: string;
  contactId: string | null;
  identity: { kind: IdentityKind; value: string } | null;
  /** Two decimals as text, exactly what numeric(14,2) stores. */
  amount: string;
  currency: string;
  orderedAt: Date;
  /** The amount and currency as sent, when converted from another accepted currency. */
  original: { amount: string; currency: string } | null;
}

/** The base currency, and the other accepted ones with their rates to it (none: any, as sent). */
export interface CurrencyPolicy {
  base: string;
  rates: Record<string, number>;
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_AMOUNT = 1e12;

export function isKnownCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

/**
 * An amount as people write it: Persian or Arabic-Indic digits, a thousands separator (`,`, `٬`,
 * space, `'`) and a decimal point (`.` or `٫`; a lone `,` followed by one or two digits is a
 * decimal comma). Negative amounts are refunds. Undefined when it is not a number.
 */
export function parseAmount(raw: unknown): string | undefined {
  if (typeof raw === 'number')
    return Number.isFinite(raw) && Math.abs(raw) < MAX_AMOUNT ? raw.toFixed(2) : undefined;
  if (typeof raw !== 'string') return undefined;
  let text = westernDigits(raw)
    .replace(/[\u200e\u200f\u00a0\u202f\s']/g, '')
    .replace(/٬/g, ',')
    .replace(/٫/g, '.')
    .replace(/^\((.*)\)$/, '-$1')
    .replace(/^−/, '-');
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) text = text.replace(/,/g, '');
  else if (/^-?\d{1,3}(\.\d{3})+,\d{1,2}$/.test(text))
    text = text.replace(/\./g, '').replace(',', '.');
  else if (/^-?\d+,\d{1,2}$/.test(text)) text = text.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || Math.abs(value) >= MAX_AMOUNT) return undefined;
  return value.toFixed(2);
}

/**
 * A time as people write it: ISO 8601 (a date alone is that day at 00:00 UTC), `DD.MM.YYYY`,
 * `DD/MM/YYYY` (day first, as everywhere but the US) or `YYYY/MM/DD`, each with an optional
 * `HH:MM[:SS]`; Persian digits allowed. A year before 1700 is a Persian (Jalali) one, as Iranian
 * shops export them (1404-01-01 is 21 March 2025). Times without a zone are UTC.
 */
export function parseOrderTime(raw: unknown): Date | undefined {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw;
  if (typeof raw !== 'string') return undefined;
  const text = westernDigits(raw).trim();
  let y: string | undefined;
  let mo: string | undefined;
  let d: string | undefined;
  let rest = '';
  let m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(text);
  if (m) {
    [, y, mo, d, rest = ''] = m;
    if (/^T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(rest)) {
      const parsed = new Date(text);
      return Number.isNaN(parsed.getTime()) || !sameDay(parsed, y, mo, d, rest)
        ? undefined
        : parsed;
    }
  } else if ((m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(.*)$/.exec(text))) {
    [, y, mo, d, rest = ''] = m;
  } else if ((m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})(.*)$/.exec(text))) {
    [, d, mo, y, rest = ''] = m;
  } else return undefined;
  const time = /^(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?Z?$/.exec(rest);
  if (!time || !y || !mo || !d) return undefined;
  const [, hh = '0', mm = '0', ss = '0'] = time;
  let [year, month, day] = [Number(y), Number(mo), Number(d)];
  if (year < 1700) {
    if (!isValidJalaaliDate(year, month, day)) return undefined;
    const g = toGregorian(year, month, day);
    [year, month, day] = [g.gy, g.gm, g.gd];
  }
  const parts = [year, month, day, Number(hh), Number(mm), Number(ss)] as const;
  const at = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]));
  // Date.UTC rolls 31 February over into March: refuse instead.
  if (
    at.getUTCMonth() !== parts[1] - 1 ||
    at.getUTCDate() !== parts[2] ||
    parts[3] > 23 ||
    parts[4] > 59 ||
    parts[5] > 59
  )
    return undefined;
  return at;
}

function sameDay(parsed: Date, y = '', mo = '', d = '', rest = ''): boolean {
  // With an explicit offset the UTC date may differ; only check the local fields are real.
  if (!/Z$/.test(rest))
    return Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31;
  return (
    parsed.getUTCFullYear() === Number(y) &&
    parsed.getUTCMonth() + 1 === Number(mo) &&
    parsed.getUTCDate() === Number(d)
  );
}

/** An identity in its stored form (E.164 phone, lower-case e-mail), or undefined. */
export function normalizeIdentity(
  kind: unknown,
  value: unknown,
): { kind: IdentityKind; value: string } | undefined {
  if (typeof kind !== 'string' || typeof value !== 'string') return undefined;
  const known = (identityKind.enumValues as readonly string[]).includes(kind);
  if (!known) return undefined;
  const k = kind as IdentityKind;
  const text = value.trim();
  if (!text || text.length > 320) return undefined;
  if (k === 'phone') {
    const e164 = normalizePhone(text);
    return e164 ? { kind: k, value: e164 } : undefined;
  }
  if (k === 'email') {
    const email = westernDigits(text).toLowerCase();
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? { kind: k, value: email } : undefined;
  }
  if (k === 'telegram')
    return /^\d{1,20}$/.test(westernDigits(text))
      ? { kind: k, value: westernDigits(text) }
      : undefined;
  return { kind: k, value: text };
}

export interface RawOrder {
  externalId?: unknown;
  contactId?: unknown;
  identity?: unknown;
  amount?: unknown;
  currency?: unknown;
  placedAt?: unknown;
}

/** Checks one order; the error names the first problem (per-row errors, never the whole batch). */
export function normalizeOrder(
  raw: RawOrder,
  index: number,
  currencies: string | CurrencyPolicy,
): NormalizedOrder | OrderRowError {
  const policy: CurrencyPolicy =
    typeof currencies === 'string' ? { base: currencies, rates: {} } : currencies;
  const defaultCurrency = policy.base;
  const fail = (code: string, message: string): OrderRowError => ({ index, code, message });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return fail('invalid_row', 'an order must be an object');
  const externalId = typeof raw.externalId === 'number' ? String(raw.externalId) : raw.externalId;
  if (typeof externalId !== 'string' || !externalId.trim() || externalId.length > 200)
    return fail('invalid_external_id', 'externalId is required (1–200 characters)');
  let contactId: string | null = null;
  let identity: NormalizedOrder['identity'] = null;
  if (raw.contactId !== undefined && raw.contactId !== null && raw.contactId !== '') {
    if (typeof raw.contactId !== 'string' || !UUID_RE.test(raw.contactId))
      return fail('invalid_contact', 'contactId must be a UUID');
    contactId = raw.contactId.toLowerCase();
  } else if (raw.identity && typeof raw.identity === 'object') {
    const given = raw.identity as { kind?: unknown; value?: unknown };
    const normalized = normalizeIdentity(given.kind, given.value);
    if (!normalized)
      return fail(
        'invalid_identity',
        `identity ${String(given.kind)}:${String(given.value)} is not a valid customer identity`,
      );
    identity = normalized;
  } else return fail('missing_customer', 'either contactId or identity {kind, value} is required');
  const amount = parseAmount(raw.amount);
  if (amount === undefined)
    return fail('invalid_amount', `amount ${JSON.stringify(raw.amount)} is not a number`);
  const currency =
    raw.currency === undefined || raw.currency === null || raw.currency === ''
      ? defaultCurrency
      : typeof raw.currency === 'string'
        ? raw.currency.trim().toUpperCase()
        : '';
  if (!isKnownCurrency(currency))
    return fail(
      'unknown_currency',
      `currency ${JSON.stringify(raw.currency)} is not an ISO 4217 code`,
    );
  const orderedAt = parseOrderTime(raw.placedAt);
  if (!orderedAt)
    return fail('invalid_date', `placedAt ${JSON.stringify(raw.placedAt)} is not a date`);
  const order = { index, externalId: externalId.trim(), contactId, identity, orderedAt };
  if (currency === policy.base || !Object.keys(policy.rates).length)
    return { ...order, amount, currency, original: null };
  const rate = policy.rates[currency];
  if (rate === undefined)
    return fail(
      'currency_not_accepted',
      `currency ${currency} is not accepted (accepted: ${[policy.base, ...Object.keys(policy.rates)].join(', ')})`,
    );
  const converted = Math.round(Number(amount) * rate * 100) / 100;
  if (Math.abs(converted) >= MAX_AMOUNT)
    return fail(
      'amount_out_of_range',
      `amount ${amount} ${currency} is too large in ${policy.base}`,
    );
  return {
    ...order,
    amount: converted.toFixed(2),
    currency: policy.base,
    original: { amount, currency },
  };
}

export function isRowError(v: NormalizedOrder | OrderRowError): v is OrderRowError {
  return 'code' in v;
}
