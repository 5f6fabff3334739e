import { useI18n } from '../i18n/I18nContext';
import { IconClose } from './Icons';

export interface Toast {
  id: number;
  title: string;
  body?: string;
  conversationId?: string;
  tone?: 'info' | 'alert';
}

/** In-app notifications; a polite live region so screen readers announce them too. */
export function Toasts({
  toasts,
  onDismiss,
  onOpen,
}: {
  toasts: Toast[];
  onDismiss: (id: number) => void;
  onOpen: (conversationId: string) => void;
}) {
  const { t } = useI18n();
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label={t('notify.region')}>
      {toasts.map((toast) => (
        <div key={toast.id} className={toast.tone === 'alert' ? 'toast toast--alert' : 'toast'}>
          <div className="toast__text">
            <strong dir="auto">{toast.title}</strong>
            {toast.body ? <span dir="auto">{toast.body}</span> : null}
          </div>
          {toast.conversationId ? (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                if (toast.conversationId) onOpen(toast.conversationId);
                onDismiss(toast.id);
              }}
            >
              {t('notify.open')}
            </button>
          ) : null}
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label={t('common.close')}
            onClick={() => onDismiss(toast.id)}
          >
            <IconClose size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
