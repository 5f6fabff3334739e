import { describe, expect, it } from 'vitest';
import type { SummaryReport } from '../api/reports';
import { makeI18n } from '../i18n/I18nContext';
import { formatCell, reportTables, tableCsv } from './tables';

const report: SummaryReport = {
  from: '2025-03-01T00:00:00.000Z',
  to: '2025-04-01T00:00:00.000Z',
  timeZone: 'UTC',
  conversations: {
    total: 7,
    byChannel: [
      { channel: 'sms', conversations: 3, messagesIn: 5, messagesOut: 4 },
      { channel: 'webchat', conversations: 4, messagesIn: 9, messagesOut: 6 },
    ],
    byHour: [
      { hour: 9, messagesIn: 10 },
      { hour: 14, messagesIn: 4 },
    ],
  },
  firstResponse: { count: 6, median: 125.25, p90: 3600 },
  resolution: { count: 0, median: null, p90: null },
  sla: { withPolicy: 7, breached: 1, compliance: 6 / 7 },
  complaints: {
    total: 3,
    byLevel: [
      { level: 1, total: 2, resolved: 1 },
      { level: 2, total: 1, resolved: 0 },
    ],
    climbed: 1,
    topCategories: [
      { category: '=HYPERLINK("http://evil")', count: 2 },
      { category: 'uncategorised', count: 1 },
    ],
  },
  csat: {
    count: 2,
    average: 4.5,
    distribution: [
      { score: 4, count: 1 },
      { score: 5, count: 1 },
    ],
  },
  customers: {
    bySegment: [
      { segment: 'champions', contacts: 2, predictedValue: '1200.50', historicValue: '-3.00' },
    ],
    byTier: [{ tier: 'gold', contacts: 2 }],
  },
  forecast: null,
};

const { t } = makeI18n('en');
const names = {
  channel: (c: string) => (c === 'sms' ? 'SMS' : 'Web chat'),
  category: (k: string) => (k === 'uncategorised' ? 'Uncategorised' : k),
  segment: (s: string) => (s === 'champions' ? 'Champion' : s),
};
const tables = reportTables(report, t, names);
const table = (id: string) => {
  const found = tables.find((x) => x.id === id);
  if (!found) throw new Error(id);
  return found;
};
const csvLines = (id: string) => tableCsv(table(id)).slice(1).trimEnd().split('\r\n');

describe('report tables', () => {
  it('has a row for every hour of the day, the quiet ones at zero', () => {
    const rows = table('byHour').rows;
    expect(rows).toHaveLength(24);
    expect(rows[9]).toEqual([9, 10]);
    expect(rows[10]).toEqual([10, 0]);
    expect(csvLines('byHour')[10]).toBe('09:00,10');
  });

  it('exports seconds and percentages as numbers named in the header', () => {
    expect(csvLines('times')).toEqual([
      'Measure,Count,Median (s),90th percentile (s)',
      'First response,6,125.3,3600',
      'Resolution,0,,',
    ]);
    expect(csvLines('sla')).toEqual(['Under an SLA,Breached,Compliance (%)', '7,1,85.7']);
  });

  it('never lets a category name run as a formula, and keeps money exact', () => {
    expect(csvLines('categories')[1]).toBe(`"'=HYPERLINK(""http://evil"")",2`);
    expect(csvLines('segments')[1]).toBe('Champion,2,1200.50,-3.00');
  });

  it('fills every CSAT score, and has no forecast row without a model', () => {
    expect(table('csat').rows).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 1],
      [5, 1],
    ]);
    expect(table('forecast').rows).toEqual([]);
  });

  it('formats cells for the page in the reader’s digits', () => {
    expect(formatCell('en', 'seconds', 125.25)).toBe('2.1 min');
    expect(formatCell('fa', 'count', 1234)).toBe('۱٬۲۳۴');
    expect(formatCell('en', 'percent', 6 / 7)).toBe('85.7%');
    expect(formatCell('en', 'amount', '-3.00')).toBe('-3.00');
    expect(formatCell('en', 'seconds', null)).toBe('—');
  });
});
