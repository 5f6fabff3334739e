import { useCallback, useEffect, useState } from 'react';
import { importsApi, isRunning } from '../api/imports';
import type { ColumnMapping, OrderImportDto } from '../api/imports';
import { Field } from '../components/Field';
import { useI18n } from '../i18n/I18nContext';
import { formatDateTime } from '../lib/format';
import { CurrenciesCard, ImportErrors, ImportSummary, MAPPING_FIELDS } from './ImportParts';
import type { MappingField } from './ImportParts';
import { Card } from './parts';
import type { Run } from './parts';

/** The import on screen, kept across reloads (its progress is read back from the server). */
const CURRENT_KEY = 'sb.ordersImport';
const POLL_MS = 700;

/**
 * Settings → Orders import: upload a CSV file, check the column mapping the server proposed,
 * dry-run it (per-row errors), import it with a progress bar, and see past imports.
 */
export default function OrdersImportSection({ run }: { run: Run }) {
  const { t, locale } = useI18n();
  const [current, setCurrent] = useState<OrderImportDto | null>(null);
  const [history, setHistory] = useState<OrderImportDto[]>([]);
  const [mapping, setMapping] = useState<Partial<Record<MappingField, string>>>({});
  const [file, setFile] = useState<File | null>(null);

  const reloadHistory = useCallback(async () => setHistory((await importsApi.list()).items), []);
  const show = useCallback((imp: OrderImportDto | null) => {
    setCurrent(imp);
    if (imp) {
      localStorage.setItem(CURRENT_KEY, imp.id);
      setMapping(imp.mapping ?? imp.proposedMapping);
    } else localStorage.removeItem(CURRENT_KEY);
  }, []);

  useEffect(() => {
    void reloadHistory().catch(() => undefined);
    const id = localStorage.getItem(CURRENT_KEY);
    if (id)
      importsApi
        .get(id)
        .then(show)
        .catch(() => show(null));
  }, [reloadHistory, show]);

  // While the job works on it, read its progress back.
  const running = current !== null && isRunning(current.status);
  const currentId = current?.id;
  useEffect(() => {
    if (!running || !currentId) return;
    const timer = setInterval(() => {
      importsApi
        .get(currentId)
        .then((imp) => {
          setCurrent(imp);
          if (!isRunning(imp.status)) void reloadHistory();
        })
        .catch(() => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, currentId, reloadHistory]);

  const upload = async () => {
    if (!file) return;
    await run(async () => {
      show(await importsApi.upload(file, file.name));
      await reloadHistory();
    });
  };
  const start = async (dryRun: boolean) => {
    if (!current) return;
    const chosen = Object.fromEntries(
      Object.entries(mapping).filter(([, column]) => column),
    ) as Partial<ColumnMapping>;
    await run(async () => {
      const started = await importsApi.start(current.id, chosen as ColumnMapping, dryRun);
      setCurrent(started);
      await reloadHistory();
    });
  };

  const canMap = current?.status === 'draft' || current?.status === 'checked';
  const checkedClean = current?.status === 'checked' && current.errorCount === 0;
  return (
    <>
      <Card title={t('imports.upload')}>
        <p className="muted small">{t('imports.uploadHint')}</p>
        <form
          className="form form--inline"
          onSubmit={(e) => {
            e.preventDefault();
            void upload();
          }}
        >
          <Field label={t('imports.file')}>
            <input
              type="file"
              accept=".csv,.txt,text/csv"
              data-testid="import-file"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Field>
          <button type="submit" className="button button--primary" disabled={!file}>
            {t('imports.send')}
          </button>
        </form>
      </Card>

      {current ? (
        <Card title={t('imports.mapping', { file: current.fileName || '—' })}>
          <p className="muted small">
            {t('imports.rows', { count: current.totalRows })} ·{' '}
            {t(`imports.status.${current.status}`)}
          </p>
          {canMap ? (
            <>
              <p className="muted small">{t('imports.mappingHint')}</p>
              <div className="form form--inline import-mapping" data-testid="import-mapping">
                {MAPPING_FIELDS.map((field) => (
                  <Field key={field} label={t(`imports.field.${field}`)}>
                    <select
                      value={mapping[field] ?? ''}
                      data-testid={`import-map-${field}`}
                      onChange={(e) => setMapping({ ...mapping, [field]: e.target.value })}
                    >
                      <option value="">{t('imports.notInFile')}</option>
                      {current.header.map((h) => (
                        <option key={h} value={h}>
                          {h}
                        </option>
                      ))}
                    </select>
                  </Field>
                ))}
              </div>
              <div className="form form--inline">
                <button
                  type="button"
                  className="button button--secondary"
                  data-testid="import-check"
                  onClick={() => void start(true)}
                >
                  {t('imports.check')}
                </button>
                <button
                  type="button"
                  className="button button--primary"
                  data-testid="import-start"
                  disabled={!checkedClean}
                  onClick={() => void start(false)}
                >
                  {t('imports.import')}
                </button>
              </div>
            </>
          ) : null}
          {running ? (
            <div className="import-progress" data-testid="import-progress">
              <progress
                value={current.status === 'importing' ? current.totalRows : current.rowsDone}
                max={current.totalRows}
              />
              <span className="small">
                {current.status === 'importing'
                  ? t('imports.writing', { total: current.totalRows })
                  : t('imports.progress', {
                      done: current.rowsDone,
                      total: current.totalRows,
                    })}
              </span>
            </div>
          ) : null}
          <ImportSummary imp={current} />
          <ImportErrors imp={current} />
        </Card>
      ) : null}

      <Card title={t('imports.history')}>
        <table className="table" data-testid="import-history">
          <thead>
            <tr>
              <th>{t('imports.col.when')}</th>
              <th>{t('imports.col.file')}</th>
              <th>{t('imports.col.status')}</th>
              <th>{t('imports.col.result')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {history.map((imp) => (
              <tr key={imp.id}>
                <td>{formatDateTime(imp.createdAt, locale)}</td>
                <td>
                  <bdi>{imp.fileName || '—'}</bdi> · {t('imports.rows', { count: imp.totalRows })}
                </td>
                <td>
                  {t(`imports.status.${imp.status}`)}
                  {imp.dryRun && imp.status !== 'checked' ? ` (${t('imports.dryRun')})` : ''}
                </td>
                <td>
                  {imp.errorCount
                    ? t('imports.errorCount', { count: imp.errorCount })
                    : imp.status === 'done' || imp.status === 'checked'
                      ? t('imports.result', {
                          created: imp.created ?? 0,
                          updated: imp.updated ?? 0,
                          unchanged: imp.unchanged ?? 0,
                        })
                      : (imp.failure ?? '')}
                </td>
                <td>
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    onClick={() => void importsApi.get(imp.id).then(show)}
                  >
                    {t('imports.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>

      <CurrenciesCard run={run} />
    </>
  );
}
