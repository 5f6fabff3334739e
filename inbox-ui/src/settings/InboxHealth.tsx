import type { Inbox } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { formatDateTime } from '../lib/format';
import { importProgress } from '../lib/mailboxUrls';

/** An inbox's link to its provider: connected or failing, the last error, import progress. */
export function InboxHealth({ inbox }: { inbox: Inbox }) {
  const { t, locale } = useI18n();
  const health = inbox.health;
  if (!health?.status) return null;
  const progress = importProgress(health.detail);
  return (
    <div className="inbox-health" data-testid="inbox-health">
      <span className={health.status === 'connected' ? 'badge badge--ok' : 'badge badge--failing'}>
        {health.status === 'connected' ? t('email.connected') : t('email.failing')}
      </span>
      {progress ? (
        <span className="muted" data-testid="inbox-import-progress">
          {progress.done
            ? t('email.imported', { count: progress.imported })
            : t('email.importing', { imported: progress.imported, total: progress.total })}
        </span>
      ) : null}
      {health.status === 'failing' && health.lastError ? (
        <span className="inbox-health__error" role="note">
          {health.lastErrorAt
            ? t('email.lastErrorAt', {
                error: health.lastError,
                at: formatDateTime(health.lastErrorAt, locale),
              })
            : health.lastError}
        </span>
      ) : null}
    </div>
  );
}
