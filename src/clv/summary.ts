/**
 * Turns order rows into the per-customer summaries the models take, as in the published analyses:
 * the orders of one (UTC) day are one transaction with their amounts summed; `asOf` is a date and
 * includes its own orders; frequency = repeat purchase days, recency and age T in whole days from
 * the first purchase day (to the last purchase day, and to `asOf`); spend = the mean over the
 * repeat days (the first purchase is left out, as the Gamma-Gamma paper does).
 *
 * Refunds (negative amounts) lower the day they fall on and the historic value; a day with only
 * refunds is not a purchase (a zero-amount order is: the CDNOW data has some).
 */
export interface OrderRow {
  contactId: string;
  amount: number;
  orderedAt: Date;
}

export interface CustomerSummary {
  contactId: string;
  /** Repeat purchase days. */
  frequency: number;
  /** Days from the first purchase day to the last. */
  recency: number;
  /** Days from the first purchase day to `asOf`. */
  T: number;
  /** Mean spend over the repeat purchase days; 0 without repeats. */
  monetary: number;
  /** Sum of every order up to `asOf`, refunds included. */
  historicValue: number;
  firstPurchase: string | null;
  lastPurchase: string | null;
}

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Day number since the epoch of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  if (!DATE_RE.test(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${date}`);
  return Math.floor(ms / DAY_MS);
}

export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Orders of one contact in any order; orders after `asOf` are ignored. */
export function summarizeCustomer(
  contactId: string,
  orders: readonly { amount: number; orderedAt: Date }[],
  asOf: string,
): CustomerSummary {
  const end = dayNumber(asOf);
  const byDay = new Map<number, number>();
  const purchaseDays = new Set<number>();
  let historicValue = 0;
  for (const o of orders) {
    const day = Math.floor(o.orderedAt.getTime() / DAY_MS);
    if (day > end) continue;
    historicValue += o.amount;
    byDay.set(day, (byDay.get(day) ?? 0) + o.amount);
    if (o.amount >= 0) purchaseDays.add(day);
  }
  // Cents avoid 0.1 + 0.2 style residue in sums of money.
  historicValue = Math.round(historicValue * 100) / 100;
  const days = [...byDay.entries()]
    .filter(([day]) => purchaseDays.has(day))
    .sort((p, q) => p[0] - q[0]);
  const first = days[0];
  const last = days[days.length - 1];
  if (!first || !last) {
    return {
      contactId,
      frequency: 0,
      recency: 0,
      T: 0,
      monetary: 0,
      historicValue,
      firstPurchase: null,
      lastPurchase: null,
    };
  }
  const repeats = days.slice(1);
  const monetary = repeats.length ? repeats.reduce((s, [, sum]) => s + sum, 0) / repeats.length : 0;
  return {
    contactId,
    frequency: repeats.length,
    recency: last[0] - first[0],
    T: end - first[0],
    monetary,
    historicValue,
    firstPurchase: dayString(first[0]),
    lastPurchase: dayString(last[0]),
  };
}

/** Summaries of every contact in `rows` (grouped by contact id). */
export function summarize(rows: readonly OrderRow[], asOf: string): CustomerSummary[] {
  const byContact = new Map<string, OrderRow[]>();
  for (const row of rows) {
    const list = byContact.get(row.contactId);
    if (list) list.push(row);
    else byContact.set(row.contactId, [row]);
  }
  return [...byContact.entries()].map(([id, list]) => summarizeCustomer(id, list, asOf));
}
