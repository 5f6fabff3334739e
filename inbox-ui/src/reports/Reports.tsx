import { Suspense, useEffect, useMemo, useState } from 'react';
import { MenuButton } from '../components/MenuButton';
import { api } from '../api/client';
import { ladderApi } from '../api/ladder';
import { reportsApi, type SummaryReport } from '../api/reports';
import { hashOf, viewFromHash } from './reportUrl';
import { SEGMENTS } from '../lib/filters';
import { CHANNELS, type User } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import type { MessageKey } from '../i18n/core';
import { useReferenceData } from '../lib/referenceData';
import { downloadCsv } from './csvExport';
import {
  localDay,
  presetRange,
  rangeToWindow,
  type CalendarKind,
  type DayRange,
} from './dateRange';
import { formatAmount, formatCount, formatDuration, formatPercent } from './format';
import { RangePicker } from './RangePicker';
import { ReportCharts } from './ReportCharts';
import { formatCell, reportTables, tableCsv, tableFileName, type ReportTable } from './tables';

const LISTS = {
  teams: api.teams,
  inboxes: api.inboxes,
  users: api.users,
  hours: ladderApi.businessHours,
  categories: () => ladderApi.categories(true),
};

// Names the app translates; anything else the server sends is shown as it came.
const KNOWN_SEGMENTS = new Set<string>(SEGMENTS);
const KNOWN_CHANNELS = new Set<string>(CHANNELS);

interface Props {
  me: User;
  onOpenMenu: () => void;
}

type Load =
  | { status: 'loading'; report: SummaryReport | null }
  | { status: 'ready'; report: SummaryReport }
  | { status: 'error'; report: SummaryReport | null };

/**
 * The Reports page (#/reports): everything GET /reports/summary answers, for a period and a
 * team, inbox or agent, with charts (their own chunk) and every table downloadable as CSV.
 * Agents see their own inboxes only: the API scopes the numbers.
 */
export default function Reports({ me, onOpenMenu }: Props) {
  const { t, locale } = useI18n();
  const today = localDay(new Date());
  const [calendar, setCalendar] = useState<CalendarKind>(locale === 'fa' ? 'persian' : 'gregorian');
  // The address carries what is shown (a reload or a shared link opens the same report).
  const [initial] = useState(() => viewFromHash(window.location.hash));
  const [range, setRange] = useState<DayRange>(
    () => initial.range ?? presetRange('last30', today, 'gregorian'),
  );
  const [teamId, setTeamId] = useState(initial.teamId);
  const [inboxId, setInboxId] = useState(initial.inboxId);
  const [assigneeId, setAssigneeId] = useState(initial.assigneeId);
  const [hoursId, setHoursId] = useState(initial.hoursId);
  useEffect(() => {
    const hash = hashOf({ range, teamId, inboxId, assigneeId, hoursId });
    // Replacing the entry (no hashchange): the Back button leaves Reports, not each filter.
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [range, teamId, inboxId, assigneeId, hoursId]);
  const [load, setLoad] = useState<Load>({ status: 'loading', report: null });
  const [attempt, setAttempt] = useState(0);
  const { lists, reload } = useReferenceData(LISTS);

  useEffect(() => void reload(), [reload]);
  // Persian readers count days in the Persian calendar; a change of language brings its calendar.
  useEffect(() => setCalendar(locale === 'fa' ? 'persian' : 'gregorian'), [locale]);

  useEffect(() => {
    const abort = new AbortController();
    setLoad((prev) => ({ status: 'loading', report: prev.report }));
    const span = rangeToWindow(range);
    reportsApi
      .summary(
        {
          ...span,
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          teamId: teamId || undefined,
          inboxId: inboxId || undefined,
          assigneeId: assigneeId || undefined,
          businessHoursId: hoursId || undefined,
        },
        abort.signal,
      )
      .then(
        (report) => setLoad({ status: 'ready', report }),
        () => {
          if (!abort.signal.aborted) setLoad((prev) => ({ status: 'error', report: prev.report }));
        },
      );
    return () => abort.abort();
  }, [range, teamId, inboxId, assigneeId, hoursId, attempt]);

  const categoryNames = useMemo(
    () => new Map(lists.categories.map((c) => [c.key, c.names[locale] || c.key])),
    [lists.categories, locale],
  );
  const report = load.report;
  const tables = useMemo(
    () =>
      report
        ? reportTables(report, t, {
            channel: (c) => (KNOWN_CHANNELS.has(c) ? t(`channel.${c}` as MessageKey) : c),
            category: (k) =>
              k === 'uncategorised' ? t('reports.uncategorised') : (categoryNames.get(k) ?? k),
            segment: (s) => (KNOWN_SEGMENTS.has(s) ? t(`crm.segment.${s}` as MessageKey) : s),
          })
        : [],
    [report, t, categoryNames],
  );

  return (
    <div className="settings reports" data-testid="reports">
      <header className="settings__header">
        <MenuButton onClick={onOpenMenu} />
        <h1>{t('reports.title')}</h1>
        {load.status === 'loading' ? (
          <span className="muted reports__busy" role="status">
            {t('reports.loading')}
          </span>
        ) : null}
      </header>
      {me.role === 'agent' ? <p className="muted">{t('reports.scopeAgent')}</p> : null}

      <div className="card reports__filters">
        <RangePicker
          range={range}
          today={today}
          calendar={calendar}
          onRange={setRange}
          onCalendar={setCalendar}
        />
        <div className="reports__selects">
          <Picker
            label={t('reports.team')}
            value={teamId}
            onValue={setTeamId}
            options={lists.teams.map((x) => ({ value: x.id, label: x.name }))}
            testId="filter-team"
          />
          <Picker
            label={t('reports.inbox')}
            value={inboxId}
            onValue={setInboxId}
            options={lists.inboxes.map((x) => ({ value: x.id, label: x.name }))}
            testId="filter-inbox"
          />
          <Picker
            label={t('reports.agent')}
            value={assigneeId}
            onValue={setAssigneeId}
            options={lists.users.map((x) => ({ value: x.id, label: x.name }))}
            testId="filter-agent"
          />
          <Picker
            label={t('reports.businessHours')}
            value={hoursId}
            onValue={setHoursId}
            options={lists.hours.map((x) => ({ value: x.id, label: x.name }))}
            allLabel={t('reports.aroundTheClock')}
            testId="filter-hours"
          />
        </div>
      </div>

      {load.status === 'error' ? (
        <p className="notice notice--error" role="alert">
          {t('reports.error')}{' '}
          <button type="button" className="link-button" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.retry')}
          </button>
        </p>
      ) : null}

      {report ? (
        <>
          <Kpis report={report} />
          <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
            <ReportCharts tables={tables} />
          </Suspense>
          {report.complaints.climbed > 0 ? (
            <p className="muted">{t('reports.climbed', { count: report.complaints.climbed })}</p>
          ) : null}
          {report.csat.average !== null ? (
            <p className="muted">
              {t('reports.csatAverage', {
                score: formatCount(locale, report.csat.average, 2),
                count: report.csat.count,
              })}
            </p>
          ) : null}
          <p className="muted" data-testid="forecast-text">
            {report.forecast
              ? t('reports.forecastText', {
                  days: report.forecast.horizonDays ?? 0,
                  expected: formatCount(locale, report.forecast.expectedPurchases, 1),
                  low: formatCount(locale, report.forecast.low, 1),
                  high: formatCount(locale, report.forecast.high, 1),
                  value: formatAmount(locale, report.forecast.predictedValue),
                })
              : t('reports.noForecast')}
          </p>
          <div className="reports__tables">
            {tables.map((table) => (
              <TableCard key={table.id} table={table} range={range} />
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}

function Picker({
  label,
  value,
  onValue,
  options,
  allLabel,
  testId,
}: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
  allLabel?: string;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} data-testid={testId} onChange={(e) => onValue(e.target.value)}>
        <option value="">{allLabel ?? t('reports.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function Kpis({ report }: { report: SummaryReport }) {
  const { t, locale } = useI18n();
  const tiles: { label: string; value: string }[] = [
    {
      label: t('reports.kpi.conversations'),
      value: formatCount(locale, report.conversations.total),
    },
    {
      label: t('reports.kpi.firstResponse'),
      value: formatDuration(locale, report.firstResponse.median),
    },
    { label: t('reports.kpi.resolution'), value: formatDuration(locale, report.resolution.median) },
    { label: t('reports.kpi.sla'), value: formatPercent(locale, report.sla.compliance) },
    {
      label: t('reports.kpi.csat'),
      value: report.csat.average === null ? '—' : formatCount(locale, report.csat.average, 2),
    },
  ];
  return (
    <ul className="reports__kpis">
      {tiles.map((tile) => (
        <li key={tile.label} className="card reports__kpi">
          <span className="reports__kpi-label">{tile.label}</span>
          <strong className="reports__kpi-value">{tile.value}</strong>
        </li>
      ))}
    </ul>
  );
}

function TableCard({ table, range }: { table: ReportTable; range: DayRange }) {
  const { t, locale } = useI18n();
  return (
    <section className="card reports__table" data-testid={`table-${table.id}`}>
      <header className="reports__table-header">
        <h2>{table.title}</h2>
        <button
          type="button"
          className="button button--secondary button--small"
          aria-label={t('reports.exportCsvOf', { table: table.title })}
          data-testid={`csv-${table.id}`}
          disabled={!table.rows.length}
          onClick={() => downloadCsv(tableFileName(table, range.from, range.to), tableCsv(table))}
        >
          {t('reports.exportCsv')}
        </button>
      </header>
      {table.rows.length ? (
        <div className="reports__scroll">
          <table className="table">
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c.label} scope="col">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((value, j) => {
                    const kind = table.columns[j]?.kind ?? 'text';
                    return (
                      <td key={j} dir={kind === 'text' ? 'auto' : undefined}>
                        {formatCell(locale, kind, value)}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t('reports.empty')}</p>
      )}
    </section>
  );
}
