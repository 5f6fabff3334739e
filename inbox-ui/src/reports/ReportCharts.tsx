import { lazy, useMemo } from 'react';
import { useI18n } from '../i18n/I18nContext';
import type { Series } from './ReportChart';
import { formatCell, type ReportTable, type TableId } from './tables';

// The charting library is its own chunk: fetched when the first chart of the page is drawn.
const ReportChart = lazy(() => import('./ReportChart'));

interface ChartSpec {
  id: TableId;
  /** Columns of the table drawn as series (the first column labels the bars). */
  series: number[];
  horizontal?: boolean;
}

const CHARTS: ChartSpec[] = [
  { id: 'byHour', series: [1] },
  { id: 'byChannel', series: [1, 2, 3] },
  { id: 'complaints', series: [1, 2] },
  { id: 'csat', series: [1] },
  { id: 'categories', series: [1], horizontal: true },
  { id: 'segments', series: [1], horizontal: true },
];

interface Drawn {
  id: TableId;
  title: string;
  labels: string[];
  series: Series[];
  horizontal: boolean;
}

/** The charts of the Reports page, each drawn from its table (which holds the same numbers). */
export function ReportCharts({ tables }: { tables: ReportTable[] }) {
  const { t, locale } = useI18n();
  const drawn = useMemo(
    () =>
      CHARTS.flatMap((spec): Drawn[] => {
        const table = tables.find((x) => x.id === spec.id);
        if (!table || !table.rows.length) return [];
        const first = table.columns[0];
        return [
          {
            id: spec.id,
            title: table.title,
            labels: table.rows.map((row) =>
              spec.id === 'complaints'
                ? t('reports.level', { level: Number(row[0]) })
                : formatCell(locale, first?.kind ?? 'text', row[0]),
            ),
            series: spec.series.map((i) => ({
              label: table.columns[i]?.label ?? '',
              data: table.rows.map((row) => Number(row[i] ?? 0)),
            })),
            horizontal: spec.horizontal ?? false,
          },
        ];
      }),
    [tables, t, locale],
  );
  return (
    <div className="reports__charts">
      {drawn.map((d) => (
        <section key={d.id} className="card reports__chart" data-testid={`chart-${d.id}`}>
          <h2>{d.title}</h2>
          <ReportChart
            labels={d.labels}
            series={d.series}
            horizontal={d.horizontal}
            label={d.title}
            testId={`canvas-${d.id}`}
          />
        </section>
      ))}
    </div>
  );
}
