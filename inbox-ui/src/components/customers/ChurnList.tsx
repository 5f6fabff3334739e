import { useCallback, useEffect, useState } from 'react';
import { customersApi, OUTBOUND, type ChurnRow, type OutboundChannel } from '../../api/customers';
import type { Channel } from '../../api/types';
import { INTL_TAG, formatNumber } from '../../i18n/core';
import type { Translate } from '../../i18n/core';
import { useI18n } from '../../i18n/I18nContext';
import { formatMoney } from '../../lib/format';
import type { Locale } from '../../api/types';
import { CustomerBadges } from '../CustomerBadges';
import { Avatar } from '../ConversationRow';

/** A share (0–1) as a whole percent in the agent's language (Persian: ۴۲٪). */
export function formatPercent(share: number, locale: Locale): string {
  return new Intl.NumberFormat(INTL_TAG[locale], {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(share);
}

/** Each reason in the agent's words. */
export function churnReasonText(row: ChurnRow, t: Translate, locale: Locale): string[] {
  const percent = (p: number) => formatPercent(p, locale);
  return row.reasons.map((r) => {
    switch (r) {
      case 'low_probability_alive':
        return t('churn.reason.low_probability_alive', {
          percent: percent(row.probabilityAlive),
        });
      case 'gone_quiet':
        return t('churn.reason.gone_quiet', {
          days: formatNumber(locale, row.daysSinceLast ?? 0),
          gap: formatNumber(locale, Math.round(row.usualGapDays ?? 0)),
        });
      default:
        return t(`churn.reason.${r}`);
    }
  });
}

/** Valuable customers showing a sign of leaving; one click opens or starts a conversation. */
export function ChurnList({ onOpen }: { onOpen: (conversationId: string) => void }) {
  const { t, locale } = useI18n();
  const [rows, setRows] = useState<ChurnRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    customersApi.churnRisk().then(
      (r) => setRows(r.items),
      (e: Error) => setError(t('customers.loadFailed', { message: e.message })),
    );
  }, [t]);
  useEffect(load, [load]);

  const start = async (row: ChurnRow) => {
    setBusy(row.contactId);
    setError(null);
    try {
      const conversation = await customersApi.startConversation(
        row.contactId,
        row.preferredChannel as OutboundChannel,
      );
      onOpen(conversation.id);
    } catch (e) {
      setError(t('churn.startFailed', { message: (e as Error).message }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card" aria-labelledby="churn-title">
      <h2 id="churn-title">{t('customers.tab.churn')}</h2>
      <p className="muted">{t('churn.hint')}</p>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      {rows === null ? (
        <p className="muted" aria-busy="true">
          {t('app.loading')}
        </p>
      ) : rows.length === 0 ? (
        <p className="muted">{t('churn.empty')}</p>
      ) : (
        <table className="customers__table" data-testid="churn-table">
          <thead>
            <tr>
              <th scope="col">{t('churn.customer')}</th>
              <th scope="col">{t('churn.value')}</th>
              <th scope="col">{t('churn.alive')}</th>
              <th scope="col">{t('churn.why')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('churn.open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.contactId} data-testid="churn-row">
                <td>
                  <div className="customers__who">
                    <Avatar name={row.name || '?'} seed={row.contactId} />
                    <span dir="auto" className="customers__name">
                      {row.name || t('contact.unnamed')}
                    </span>
                    <CustomerBadges tier={row.tier} segment={row.segment} />
                  </div>
                </td>
                <td className="customers__num">{formatMoney(row.predictedValue, locale)}</td>
                <td className="customers__num">{formatPercent(row.probabilityAlive, locale)}</td>
                <td>
                  <ul className="customers__reasons">
                    {churnReasonText(row, t, locale).map((text) => (
                      <li key={text}>{text}</li>
                    ))}
                  </ul>
                </td>
                <td>
                  {row.conversationId ? (
                    <button
                      type="button"
                      className="button button--secondary"
                      onClick={() => onOpen(row.conversationId!)}
                    >
                      {t('churn.open')}
                    </button>
                  ) : row.preferredChannel && OUTBOUND.includes(row.preferredChannel) ? (
                    <button
                      type="button"
                      className="button button--primary"
                      disabled={busy === row.contactId}
                      onClick={() => void start(row)}
                    >
                      {t('churn.start', {
                        channel: t(`channel.${row.preferredChannel as Channel}`),
                      })}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
