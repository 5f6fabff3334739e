import type { Inbox } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { formatDateTime } from '../lib/format';

/**
 * What admins need to know about an inbox's link to its provider: connected or failing, the
 * last error and when, the last message in, channel detail (import progress, pending updates),
 * the webhook URLs to paste into the provider's console, and which credentials are set (never
 * their values: the server does not send them).
 */
export function InboxHealth({ inbox }: { inbox: Inbox }) {
  const { t, locale } = useI18n();
  const health = inbox.health ?? {};
  const status = health.status ?? 'unknown';
  const detail = Object.entries(health.detail ?? {});
  return (
    <div className="inbox-health" data-testid="inbox-health">
      <span
        className={
          status === 'connected'
            ? 'badge badge--ok'
            : status === 'failing'
              ? 'badge badge--danger'
              : 'badge'
        }
      >
        {t(`settings.health.${status}`)}
      </span>
      {health.lastError ? (
        <p className="inbox-health__error" role="status">
          <bdi>{health.lastError}</bdi>
          {health.lastErrorAt ? (
            <span className="muted"> · {formatDateTime(health.lastErrorAt, locale)}</span>
          ) : null}
        </p>
      ) : null}
      <p className="muted">
        {health.lastMessageInAt
          ? t('settings.health.lastMessageIn', {
              time: formatDateTime(health.lastMessageInAt, locale),
            })
          : t('settings.health.noMessageYet')}
      </p>
      {detail.length ? (
        <dl className="inbox-health__detail">
          {detail.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>
                <bdi>{typeof value === 'string' ? value : JSON.stringify(value)}</bdi>
              </dd>
            </div>
          ))}
        </dl>
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
