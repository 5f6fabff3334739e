import type { Inbox } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { formatDateTime } from '../lib/format';
import { importProgress } from '../lib/mailboxUrls';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

// Detail keys a channel reports that are shown in their own words below, not as raw pairs.
const SHOWN = new Set([
  'mode',
  'pendingUpdateCount',
  'lastErrorMessage',
  'lastErrorDate',
  'url',
  'address',
]);

/**
 * What admins need to know about an inbox's link to its provider: working or not and why (the
 * last error and when), the last message in, what the provider itself reports (for a Telegram
 * bot: webhook or polling, updates waiting, its last delivery error), any other channel detail
 * (import progress), the webhook addresses to paste into the provider's console, messages that
 * could not be stored, and which credentials are set (never their values: the server does not
 * send them).
 */
export function InboxHealth({ inbox }: { inbox: Inbox }) {
  const { t, locale } = useI18n();
  const health = inbox.health ?? {};
  const detail = health.detail ?? {};
  const status = health.status ?? 'unknown';
  const mode = text(detail['mode']);
  const pending = detail['pendingUpdateCount'];
  const providerError = text(detail['lastErrorMessage']);
  const providerErrorAt = text(detail['lastErrorDate']);
  const other = Object.entries(detail).filter(([k]) => !SHOWN.has(k));
  const progress = importProgress(health.detail);
  return (
    <div className="inbox-health" data-testid="inbox-health" data-status={status}>
      <span>
        <span
          className={
            status === 'connected'
              ? 'badge badge--ok'
              : status === 'failing'
                ? 'badge badge--failing badge--danger'
                : 'badge'
          }
        >
          {t(`settings.health.${status}`)}
        </span>{' '}
        {text(detail['address']) ? <span dir="ltr">{text(detail['address'])}</span> : null}
        {mode === 'webhook' || mode === 'polling' ? (
          <span className="muted"> · {t(`health.mode.${mode}`)}</span>
        ) : null}
      </span>
      {health.lastError ? (
        <p className="inbox-health__error" role="status">
          <bdi>{health.lastError}</bdi>
          {health.lastErrorAt ? (
            <span className="muted"> · {formatDateTime(health.lastErrorAt, locale)}</span>
          ) : null}
        </p>
      ) : null}
      {progress ? (
        <p className="muted" data-testid="inbox-import-progress">
          {progress.done
            ? t('email.imported', { count: progress.imported })
            : t('email.importing', { imported: progress.imported, total: progress.total })}
        </p>
      ) : null}
      {typeof pending === 'number' ? (
        <p className="muted">{t('health.pending', { count: pending })}</p>
      ) : null}
      {providerError ? (
        <p className="inbox-health__error">
          {t('health.telegramError', {
            date: providerErrorAt ? formatDateTime(providerErrorAt, locale) : '—',
            error: providerError,
          })}
        </p>
      ) : null}
      <p className="muted">
        {health.lastMessageInAt
          ? t('settings.health.lastMessageIn', {
              time: formatDateTime(health.lastMessageInAt, locale),
            })
          : t('settings.health.noMessageYet')}
      </p>
      {other.length ? (
        <dl className="inbox-health__detail">
          {other.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>
                <bdi>{typeof value === 'string' ? value : JSON.stringify(value)}</bdi>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {inbox.failedIngests ? (
        <p className="inbox-health__error">
          {t('settings.health.failedIngests', { count: inbox.failedIngests })}
        </p>
      ) : null}
      {inbox.credentialsSet?.length ? (
        <p className="muted">
          {t('settings.health.credentialsSet', { keys: inbox.credentialsSet.join(', ') })}
        </p>
      ) : null}
      {inbox.webhookUrls?.length ? (
        <div className="inbox-health__webhooks">
          <p className="muted">{t('settings.health.webhooks')}</p>
          <ul>
            {inbox.webhookUrls.map((url) => (
              <li key={url}>
                <code dir="ltr">{url}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
