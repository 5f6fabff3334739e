import type { SummaryReport } from '../api/reports';
import type { Locale } from '../api/types';
import type { Translate } from '../i18n/core';
import { csvFileName, toCsv, type Cell } from './csvExport';
import { formatAmount, formatCount, formatDuration, formatHour, formatPercent } from './format';

/**
 * Every table of the Reports page, built once from the summary report: the page shows them,
 * the charts draw from them and each is exported as CSV with its raw numbers (seconds, shares as
 * percentages, exact money strings) rather than the formatted text.
 */

export type ColumnKind = 'text' | 'count' | 'seconds' | 'percent' | 'amount' | 'decimal' | 'hour';

export interface Column {
  label: string;
  kind: ColumnKind;
}

export type TableId =
  | 'byChannel'
  | 'byHour'
  | 'times'
  | 'sla'
  | 'complaints'
  | 'categories'
  | 'csat'
  | 'segments'
  | 'tiers'
  | 'forecast';

export interface ReportTable {
  id: TableId;
  title: string;
  columns: Column[];
  rows: Cell[][];
}

export interface Names {
  channel: (channel: string) => string;
  category: (key: string) => string;
  segment: (segment: string) => string;
}

const col = (label: string, kind: ColumnKind): Column => ({ label, kind });

export function reportTables(r: SummaryReport, t: Translate, names: Names): ReportTable[] {
  const hours = new Map(r.conversations.byHour.map((h) => [h.hour, h.messagesIn]));
  const tables: ReportTable[] = [
    {
      id: 'byChannel',
      title: t('reports.byChannel'),
      columns: [
        col(t('reports.col.channel'), 'text'),
        col(t('reports.col.conversations'), 'count'),
        col(t('reports.col.messagesIn'), 'count'),
        col(t('reports.col.messagesOut'), 'count'),
      ],
      rows: r.conversations.byChannel.map((c) => [
        names.channel(c.channel),
        c.conversations,
        c.messagesIn,
        c.messagesOut,
      ]),
    },
    {
      id: 'byHour',
      title: t('reports.byHour'),
      columns: [col(t('reports.col.hour'), 'hour'), col(t('reports.col.messagesIn'), 'count')],
      // Every hour of the day, the quiet ones too, so the chart's axis is the clock.
      rows: Array.from({ length: 24 }, (_, hour) => [hour, hours.get(hour) ?? 0]),
    },
    {
      id: 'times',
      title: t('reports.times'),
      columns: [
        col(t('reports.col.measure'), 'text'),
        col(t('reports.col.count'), 'count'),
        col(t('reports.col.median'), 'seconds'),
        col(t('reports.col.p90'), 'seconds'),
      ],
      rows: [
        [
          t('reports.measure.firstResponse'),
          r.firstResponse.count,
          r.firstResponse.median,
          r.firstResponse.p90,
        ],
        [
          t('reports.measure.resolution'),
          r.resolution.count,
          r.resolution.median,
          r.resolution.p90,
        ],
      ],
    },
    {
      id: 'sla',
      title: t('reports.sla'),
      columns: [
        col(t('reports.col.withPolicy'), 'count'),
        col(t('reports.col.breached'), 'count'),
        col(t('reports.col.compliance'), 'percent'),
      ],
      rows: [[r.sla.withPolicy, r.sla.breached, r.sla.compliance]],
    },
    {
      id: 'complaints',
      title: t('reports.complaints'),
      columns: [
        col(t('reports.col.level'), 'count'),
        col(t('reports.col.complaints'), 'count'),
        col(t('reports.col.resolved'), 'count'),
      ],
      rows: r.complaints.byLevel.map((l) => [l.level, l.total, l.resolved]),
    },
    {
      id: 'categories',
      title: t('reports.categories'),
      columns: [col(t('reports.col.category'), 'text'), col(t('reports.col.count'), 'count')],
      rows: r.complaints.topCategories.map((c) => [names.category(c.category), c.count]),
    },
    {
      id: 'csat',
      title: t('reports.csat'),
      columns: [col(t('reports.col.score'), 'count'), col(t('reports.col.count'), 'count')],
      rows: [1, 2, 3, 4, 5].map((score) => [
        score,
        r.csat.distribution.find((d) => d.score === score)?.count ?? 0,
      ]),
    },
    {
      id: 'segments',
      title: t('reports.segments'),
      columns: [
        col(t('reports.col.segment'), 'text'),
        col(t('reports.col.contacts'), 'count'),
        col(t('reports.col.predictedValue'), 'amount'),
        col(t('reports.col.historicValue'), 'amount'),
      ],
      rows: r.customers.bySegment.map((s) => [
        names.segment(s.segment),
        s.contacts,
        s.predictedValue,
        s.historicValue,
      ]),
    },
    {
      id: 'tiers',
      title: t('reports.tiers'),
      columns: [col(t('reports.col.tier'), 'text'), col(t('reports.col.contacts'), 'count')],
      rows: r.customers.byTier.map((x) => [tierName(x.tier, t), x.contacts]),
    },
    {
      id: 'forecast',
      title: t('reports.forecast'),
      columns: [
        col(t('reports.col.horizon'), 'count'),
        col(t('reports.col.expected'), 'decimal'),
        col(t('reports.col.low'), 'decimal'),
        col(t('reports.col.high'), 'decimal'),
        col(t('reports.col.predictedValue'), 'amount'),
      ],
      rows: r.forecast
        ? [
            [
              r.forecast.horizonDays,
              r.forecast.expectedPurchases,
              r.forecast.low,
              r.forecast.high,
              r.forecast.predictedValue,
            ],
          ]
        : [],
    },
  ];
  return tables;
}

function tierName(tier: string, t: Translate): string {
  switch (tier) {
    case 'gold':
      return t('reports.tier.gold');
    case 'silver':
      return t('reports.tier.silver');
    case 'bronze':
      return t('reports.tier.bronze');
    case 'none':
      return t('reports.tier.none');
    default:
      return tier;
  }
}

/** A cell as the page shows it. */
export function formatCell(locale: Locale, kind: ColumnKind, value: Cell): string {
  if (value === null || value === undefined) return '—';
  if (kind === 'text') return String(value);
  if (kind === 'amount') return formatAmount(locale, value);
  const n = typeof value === 'number' ? value : Number(value);
  switch (kind) {
    case 'count':
      return formatCount(locale, n);
    case 'decimal':
      return formatCount(locale, n, 1);
    case 'seconds':
      return formatDuration(locale, n);
    case 'percent':
      return formatPercent(locale, n);
    case 'hour':
      return formatHour(locale, n);
  }
}

/** The table as a CSV file: raw numbers, seconds and percentages named in the header. */
export function tableCsv(table: ReportTable): string {
  const header = table.columns.map((c) =>
    c.kind === 'seconds' ? `${c.label} (s)` : c.kind === 'percent' ? `${c.label} (%)` : c.label,
  );
  const rows = table.rows.map((row) =>
    row.map((value, i) => {
      const kind = table.columns[i]?.kind;
      if (kind === 'percent' && typeof value === 'number') return Math.round(value * 1000) / 10;
      if (kind === 'seconds' && typeof value === 'number') return Math.round(value * 10) / 10;
      if (kind === 'hour' && typeof value === 'number')
        return `${String(value).padStart(2, '0')}:00`;
      return value;
    }),
  );
  return toCsv(header, rows);
}

export function tableFileName(table: ReportTable, from: string, to: string): string {
  return csvFileName(table.id, from, to);
}
