/**
 * Column mapping for an order CSV: which header holds which order field. The server proposes one
 * from the header names (English, Persian and Russian spellings); the admin adjusts it. Pure.
 */
import { westernDigits } from '../../channels/twilio/phone';
import type { ColumnMapping } from './csv';

export const MAPPING_FIELDS = [
  'externalId',
  'contactId',
  'email',
  'phone',
  'placedAt',
  'amount',
  'currency',
] as const satisfies readonly (keyof ColumnMapping)[];
export type MappingField = (typeof MAPPING_FIELDS)[number];

const fold = (name: string) =>
  westernDigits(name)
    .toLowerCase()
    .replace(/[\s_\-.:#()\u200c]+/g, '')
    .replace(/ي/g, 'ی')
    .replace(/ك/g, 'ک')
    .replace(/ё/g, 'е');

/** Header spellings per field, folded; the first field whose list has the name wins. */
const SYNONYMS: Record<MappingField, string[]> = {
  externalId: [
    'externalid',
    'orderid',
    'order',
    'ordernumber',
    'orderno',
    'invoice',
    'invoiceid',
    'id',
    'شمارهسفارش',
    'کدسفارش',
    'سفارش',
    'شمارهفاکتور',
    'номерзаказа',
    'заказ',
    'idзаказа',
  ],
  contactId: ['contactid', 'contact', 'customerid', 'شناسهمشتری', 'idклиента', 'idконтакта'],
  email: ['email', 'mail', 'emailaddress', 'customeremail', 'ایمیل', 'رایانامه', 'почта', 'email'],
  phone: [
    'phone',
    'mobile',
    'tel',
    'telephone',
    'phonenumber',
    'customerphone',
    'تلفن',
    'موبایل',
    'شمارهتماس',
    'телефон',
    'мобильный',
  ],
  placedAt: [
    'placedat',
    'date',
    'orderdate',
    'orderedat',
    'createdat',
    'created',
    'time',
    'تاریخ',
    'تاریخسفارش',
    'дата',
    'датазаказа',
  ],
  amount: [
    'amount',
    'total',
    'sum',
    'price',
    'value',
    'grandtotal',
    'مبلغ',
    'جمع',
    'قیمت',
    'сумма',
    'итого',
    'стоимость',
  ],
  currency: ['currency', 'curr', 'ارز', 'واحدپول', 'валюта'],
};

/** A mapping proposed from the header: each field gets the first column whose name fits it. */
export function proposeMapping(header: string[]): Partial<Record<MappingField, string>> {
  const taken = new Set<number>();
  const out: Partial<Record<MappingField, string>> = {};
  const folded = header.map(fold);
  for (const field of MAPPING_FIELDS) {
    const at = folded.findIndex((name, i) => !taken.has(i) && SYNONYMS[field].includes(name));
    if (at >= 0) {
      taken.add(at);
      out[field] = header[at]!.trim();
    }
  }
  return out;
}

/** Which mapped field a per-row error is about (the column the UI points at). */
export function fieldOfError(code: string): MappingField | 'customer' {
  switch (code) {
    case 'invalid_external_id':
    case 'duplicate_external_id':
      return 'externalId';
    case 'invalid_amount':
    case 'amount_out_of_range':
      return 'amount';
    case 'unknown_currency':
    case 'currency_not_accepted':
      return 'currency';
    case 'invalid_date':
      return 'placedAt';
    default:
      return 'customer';
  }
}

/** A stored mapping (field → header name) as the CSV reader takes it; unmapped fields stay empty. */
export function toColumnMapping(m: Record<string, string>): ColumnMapping {
  return {
    externalId: m.externalId ?? '',
    amount: m.amount ?? '',
    placedAt: m.placedAt ?? '',
    currency: m.currency,
    contactId: m.contactId,
    email: m.email,
    phone: m.phone,
  };
}
