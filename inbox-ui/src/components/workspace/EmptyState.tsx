import { useI18n } from '../../i18n/I18nContext';

/** What the thread pane shows while no conversation is open. */
export function EmptyState() {
  const { t } = useI18n();
  return (
    <div className="empty-state">
      <div className="empty-state__art" aria-hidden="true">
        <svg viewBox="0 0 120 90" width="120" height="90">
          <rect x="8" y="14" width="72" height="46" rx="12" fill="var(--accent-soft)" />
          <rect x="40" y="34" width="72" height="46" rx="12" fill="var(--accent)" opacity="0.85" />
          <path d="M56 52h40M56 62h26" stroke="#fff" strokeWidth="5" strokeLinecap="round" />
        </svg>
      </div>
      <h2>{t('conv.emptyTitle')}</h2>
      <p className="muted">{t('conv.emptyBody')}</p>
      <p className="muted small">
        <kbd>j</kbd> / <kbd>k</kbd> · <kbd>?</kbd> {t('nav.shortcuts')}
      </p>
    </div>
  );
}
