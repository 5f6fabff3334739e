import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { directionOf, INTL_TAG } from '../i18n/core';
import { useI18n } from '../i18n/I18nContext';

// chart.js is tree-shaken to what the page draws (bar charts); this module is its own chunk,
// imported lazily by the Reports page, so nothing of it is fetched before Reports opens.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const COLORS = ['#4f46e5', '#0ea5e9', '#10b981', '#f59e0b', '#ef4444'];
const FONT_LATIN = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";
const FONT_FA = "'Vazirmatn', 'Noto Sans Arabic', 'Segoe UI', Tahoma, 'DejaVu Sans', sans-serif";

export interface Series {
  label: string;
  data: number[];
}

interface Props {
  labels: string[];
  series: Series[];
  /** Bars along the inline axis (long category names read better so). */
  horizontal?: boolean;
  /** What the chart shows, for screen readers: the table beside it holds the numbers. */
  label: string;
  testId: string;
}

/** A bar chart on a canvas; right-to-left in Persian (axis from the right, legend mirrored). */
export default function ReportChart({ labels, series, horizontal = false, label, testId }: Props) {
  const { locale } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const rtl = directionOf(locale) === 'rtl';
    const font = { family: rtl ? FONT_FA : FONT_LATIN, size: 12 };
    const config: ChartConfiguration<'bar', number[], string> = {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.data,
          backgroundColor: COLORS[i % COLORS.length],
          borderRadius: 3,
          maxBarThickness: 36,
        })),
      },
      options: {
        locale: INTL_TAG[locale],
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: {
            reverse: rtl,
            ticks: { font, ...(horizontal ? { precision: 0 } : {}) },
            grid: { display: horizontal },
            ...(horizontal ? { beginAtZero: true } : {}),
          },
          y: {
            position: rtl ? 'right' : 'left',
            ticks: { font, ...(horizontal ? {} : { precision: 0 }) },
            grid: { display: !horizontal },
            ...(horizontal ? {} : { beginAtZero: true }),
          },
        },
        plugins: {
          legend: { display: series.length > 1, rtl, labels: { font } },
          tooltip: { rtl, textDirection: rtl ? 'rtl' : 'ltr', bodyFont: font, titleFont: font },
        },
      },
    };
    const chart = new Chart(el, config);
    return () => chart.destroy();
  }, [labels, series, horizontal, locale]);

  return (
    <div className="report-chart">
      <canvas ref={canvas} role="img" aria-label={label} data-testid={testId} />
    </div>
  );
}
