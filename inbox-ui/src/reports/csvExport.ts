/**
 * Tables of the Reports page as CSV files, made in the browser. A byte-order mark leads the file
 * so Excel reads it as UTF-8 (Persian and Russian text stay readable), rows end in CRLF (RFC
 * 4180), and a cell that a spreadsheet would run as a formula (it starts with = + - @, or a tab
 * or carriage return) is prefixed with an apostrophe: a customer's name is never a formula
 * (a plain negative decimal like "-3.00" excepted: it can only be a number).
 */

export type Cell = string | number | null | undefined;

const BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEGATIVE_DECIMAL = /^-\d+(\.\d+)?$/;

/** One cell as CSV text: formula-safe, quoted when it holds a separator, quote or line break. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  // Numbers are data, not text: a negative amount stays a number a spreadsheet can add up.
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  // A negative decimal written as text (money from the server, "-3.00") is a number to a
  // spreadsheet, nothing it could run: it stays as it is.
  if (typeof value === 'string' && FORMULA_START.test(text) && !NEGATIVE_DECIMAL.test(text))
    text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: the BOM, a header row and the rows, comma-separated, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** A safe file name: letters (any script), digits, dot, dash and underscore. */
export function csvFileName(base: string, from: string, to: string): string {
  const clean = (s: string) => s.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '');
  return `${clean(base) || 'report'}_${clean(from)}_${clean(to)}.csv`;
}

/** Starts a download of the CSV text in the browser. */
export function downloadCsv(fileName: string, csv: string): void {
  const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The click has started the download; the object URL may go once the event loop turns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
