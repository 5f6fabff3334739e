import { useEffect, useState } from 'react';
import { importsApi } from '../api/imports';
import type { OrderImportDto } from '../api/imports';
import { useI18n } from '../i18n/I18nContext';
import { formatNumber } from '../i18n/core';
import type { MessageKey } from '../i18n/core';
import { Card } from './parts';
import type { Run } from './parts';

export const MAPPING_FIELDS = [
  'externalId',
  'contactId',
  'email',
  'phone',
  'placedAt',
  'amount',
  'currency',
] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];

const ERROR_CODES = new Set([
  'invalid_external_id',
  'duplicate_external_id',
  'invalid_contact',
  'invalid_identity',
  'missing_customer',
  'unknown_contact',
  'invalid_amount',
  'amount_out_of_range',
  'unknown_currency',
  'currency_not_accepted',
  'invalid_date',
]);

/** What a finished import did (or a dry run would do), or why nothing was imported. */
export function ImportSummary({ imp }: { imp: OrderImportDto }) {
  const { t } = useI18n();
  const counts = {
    created: imp.created ?? 0,
    updated: imp.updated ?? 0,
    unchanged: imp.unchanged ?? 0,
    contacts: imp.contactsCreated ?? 0,
  };
  let text: string | null = null;
  let error = false;
  if (imp.status === 'checked')
    if (imp.errorCount) {
      text = t('imports.checkedErrors', { count: imp.errorCount });
      error = true;
    } else text = t('imports.checkedOk', counts);
  else if (imp.status === 'done') text = t('imports.done', counts);
  else if (imp.status === 'failed') {
    error = true;
    text =
      imp.failure === 'invalid_rows'
        ? t('imports.failedRows', { count: imp.errorCount })
        : imp.failure === 'expired'
          ? t('imports.expired')
          : t('imports.failedOther', { reason: imp.failure ?? '' });
  }
  if (!text) return null;
  return (
    <p
      className={error ? 'notice notice--error' : 'notice'}
      role="status"
      data-testid="import-summary"
    >
      {text}
    </p>
  );
}

/** The per-row errors: row number, the column (as the file names it), the problem. */
export function ImportErrors({ imp }: { imp: OrderImportDto }) {
  const { t, locale } = useI18n();
  const errors = imp.errors ?? [];
  if (!errors.length) return null;
  const columnOf = (field: string): string => {
    const mapping = imp.mapping ?? {};
    if (field === 'customer')
      return mapping.contactId ?? mapping.email ?? mapping.phone ?? t('imports.field.customer');
    return mapping[field] ?? t(`imports.field.${field}` as MessageKey);
  };
  return (
    <>
      {imp.errorCount > errors.length ? (
        <p className="muted small">
          {t('imports.firstErrors', { shown: errors.length, count: imp.errorCount })}
        </p>
      ) : null}
      <table className="table" data-testid="import-errors">
        <thead>
          <tr>
            <th>{t('imports.col.row')}</th>
            <th>{t('imports.col.column')}</th>
            <th>{t('imports.col.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e) => (
            <tr key={`${e.row}-${e.code}`}>
              <td>{formatNumber(locale, e.row)}</td>
              <td>
                <bdi>{columnOf(e.field)}</bdi>
              </td>
              <td>
                {ERROR_CODES.has(e.code)
                  ? t(`imports.err.${e.code}` as MessageKey, { value: e.value })
                  : e.message}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Accepted currencies besides the base one, each with its rate into it. */
export function CurrenciesCard({ run }: { run: Run }) {
  const { t } = useI18n();
  const [base, setBase] = useState('');
  const [rows, setRows] = useState<{ code: string; rate: string }[]>([]);
  useEffect(() => {
    void Promise.all([importsApi.crmSettings(), importsApi.currencies()])
      .then(([settings, currencies]) => {
        setBase(settings.currency);
        setRows(
          Object.entries(currencies.rates).map(([code, rate]) => ({ code, rate: String(rate) })),
        );
      })
      .catch(() => undefined);
  }, []);
  const save = () =>
    run(
      () =>
        importsApi.saveCurrencies({
          rates: Object.fromEntries(
            rows
              .filter((r) => r.code.trim())
              .map((r) => [r.code.trim().toUpperCase(), Number(r.rate.replace(',', '.'))]),
          ),
        }),
      t('common.saved'),
    );
  const change = (i: number, patch: Partial<{ code: string; rate: string }>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Card title={t('imports.currencies')}>
      <p className="muted small">{t('imports.currenciesHint', { base })}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {rows.map((r, i) => (
          <div className="form form--inline" key={i}>
            <label className="field">
              <span>{t('imports.currencyCode')}</span>
              <input
                value={r.code}
                dir="ltr"
                maxLength={3}
                size={4}
                onChange={(e) => change(i, { code: e.target.value })}
              />
            </label>
            <label className="field">
              <span>{t('imports.rate', { base })}</span>
              <input
                value={r.rate}
                dir="ltr"
                inputMode="decimal"
                onChange={(e) => change(i, { rate: e.target.value })}
              />
            </label>
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => setRows(rows.filter((_, j) => j !== i))}
            >
              {t('imports.remove')}
            </button>
          </div>
        ))}
        <div className="form form--inline">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setRows([...rows, { code: '', rate: '' }])}
          >
            {t('imports.addCurrency')}
          </button>
          <button type="submit" className="button button--primary">
            {t('common.save')}
          </button>
        </div>
      </form>
    </Card>
  );
}
