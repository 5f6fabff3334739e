import type { Inbox } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { formatDateTime } from '../lib/format';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * An inbox's link to its provider as admins need to see it: working or not and why, and for a
 * Telegram bot what Telegram itself reports (webhook or polling, updates waiting, its last
 * delivery error) — so an unreachable server says so instead of staying silent.
 */
export function InboxHealth({ inbox }: { inbox: Inbox }) {
  const { t, locale } = useI18n();
  const health = inbox.health;
  if (!health || inbox.channel === 'webchat') return null;
  const detail = health.detail ?? {};
  const status = health.status ?? 'unknown';
  const mode = text(detail['mode']);
  const pending = detail['pendingUpdateCount'];
  const telegramError = text(detail['lastErrorMessage']);
  const telegramErrorAt = text(detail['lastErrorDate']);
  const url = text(detail['url']) ?? inbox.webhookUrls?.[0];
  return (
    <div className="inbox-health" data-testid="inbox-health" data-status={status}>
      <span>
        <span
          className={
            status === 'failing'
              ? 'badge badge--failing'
              : status === 'connected'
                ? 'badge badge--ok'
                : 'badge'
          }
        >
          {t(`health.${status}`)}
        </span>{' '}
        {text(detail['address']) ? <span dir="ltr">{text(detail['address'])}</span> : null}
        {mode === 'webhook' || mode === 'polling' ? (
          <span className="muted"> · {t(`health.mode.${mode}`)}</span>
        ) : null}
      </span>
      {status === 'failing' && health.lastError ? (
        <span className="inbox-health__error" role="note" dir="auto">
          {health.lastError}
        </span>
      ) : null}
      {typeof pending === 'number' ? (
        <span className="muted">{t('health.pending', { count: pending })}</span>
      ) : null}
      {telegramError ? (
        <span className="inbox-health__error" dir="auto">
          {t('health.telegramError', {
            date: telegramErrorAt ? formatDateTime(telegramErrorAt, locale) : '—',
            error: telegramError,
          })}
        </span>
      ) : null}
      {mode === 'webhook' && url ? (
        <span className="muted">
          {t('health.webhookUrl')}: <code dir="ltr">{url}</code>
        </span>
      ) : null}
      {health.lastMessageInAt ? (
        <span className="muted">
          {t('health.lastMessage', { date: formatDateTime(health.lastMessageInAt, locale) })}
        </span>
      ) : null}
    </div>
  );
}
