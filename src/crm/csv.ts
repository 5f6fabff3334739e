/**
 * A small RFC 4180 CSV reader for order files: a UTF-8 BOM is dropped, the separator (`,`, `;`
 * or tab) is taken from the header line, quoted fields may hold separators, quotes ("") and line
 * breaks, and CRLF or LF ends a record. Rows are yielded one by one.
 */
export class CsvError extends Error {}

export function detectSeparator(headerLine: string): string {
  const counts = [',', ';', '\t'].map((sep) => [sep, headerLine.split(sep).length - 1] as const);
  counts.sort((p, q) => q[1] - p[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

export function* readCsv(text: string, maxFieldLength = 10_000): Generator<string[]> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const firstBreak = text.indexOf('\n', i);
  const sep = detectSeparator(text.slice(i, firstBreak < 0 ? undefined : firstBreak));
  const n = text.length;
  let line = 1;
  while (i < n) {
    const row: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new CsvError(`line ${line}: a quoted field is not closed`);
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        if (i < n && text[i] !== sep && text[i] !== '\n' && text[i] !== '\r')
          throw new CsvError(`line ${line}: text after a closing quote`);
      } else {
        const start = i;
        while (i < n && text[i] !== sep && text[i] !== '\n' && text[i] !== '\r') i++;
        field = text.slice(start, i);
        if (field.includes('"'))
          throw new CsvError(`line ${line}: a quote inside an unquoted field`);
      }
      if (field.length > maxFieldLength)
        throw new CsvError(`line ${line}: a field is longer than ${maxFieldLength} characters`);
      row.push(field);
      if (i < n && text[i] === sep) {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    // Blank lines (often the last one) are not rows.
    if (row.length === 1 && row[0] === '') continue;
    yield row;
  }
}

/** Which column holds each order field: header names as the file has them. */
export interface ColumnMapping {
  externalId: string;
  amount: string;
  placedAt: string;
  currency?: string | undefined;
  contactId?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
}

/** The column indexes of a mapping in a header row; throws naming a missing column. */
export function resolveMapping(
  header: string[],
  mapping: ColumnMapping,
): Record<keyof ColumnMapping, number> {
  const names = header.map((h) => h.trim().toLowerCase());
  const index = (column: string | undefined, field: string, required: boolean): number => {
    if (!column) {
      if (required) throw new CsvError(`no column is mapped to ${field}`);
      return -1;
    }
    const at = names.indexOf(column.trim().toLowerCase());
    if (at < 0) throw new CsvError(`the file has no column "${column}" (for ${field})`);
    return at;
  };
  const result = {
    externalId: index(mapping.externalId, 'externalId', true),
    amount: index(mapping.amount, 'amount', true),
    placedAt: index(mapping.placedAt, 'placedAt', true),
    currency: index(mapping.currency, 'currency', false),
    contactId: index(mapping.contactId, 'contactId', false),
    email: index(mapping.email, 'email', false),
    phone: index(mapping.phone, 'phone', false),
  };
  if (result.contactId < 0 && result.email < 0 && result.phone < 0)
    throw new CsvError('map a column to contactId, email or phone to know whose order it is');
  return result;
}

/** One CSV row as the raw order the JSON API takes. */
export function rowToOrder(row: string[], at: Record<keyof ColumnMapping, number>) {
  const cell = (i: number) => (i >= 0 ? (row[i] ?? '').trim() : '');
  const email = cell(at.email);
  const phone = cell(at.phone);
  return {
    externalId: cell(at.externalId),
    contactId: cell(at.contactId) || undefined,
    identity: email
      ? { kind: 'email', value: email }
      : phone
        ? { kind: 'phone', value: phone }
        : undefined,
    amount: cell(at.amount),
    currency: cell(at.currency) || undefined,
    placedAt: cell(at.placedAt),
  };
}
