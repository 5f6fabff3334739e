import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n/I18nContext';
import { loadInboxes } from './InboxAddress';

/**
 * Makes a Telegram deep link for this contact: the customer opens it in Telegram and their
 * Telegram account joins this profile. Shown only to agents of a server with a Telegram inbox.
 */
export function TelegramLinkButton({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    let cancelled = false;
    void loadInboxes().then((all) => {
      if (!cancelled) setAvailable(all.some((i) => i.channel === 'telegram' && i.enabled));
    });
    return () => {
      cancelled = true;
    };
  }, []);
  useEffect(() => setUrl(null), [contactId]);
  if (!available) return null;

  async function create() {
    setError(null);
    setCopied(false);
    try {
      setUrl((await api.telegramLink(contactId)).url);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section className="contact__section telegram-link" data-testid="telegram-link">
      <h3>{t('telegram.linkTitle')}</h3>
      {url ? (
        <>
          <input readOnly dir="ltr" value={url} onFocus={(e) => e.currentTarget.select()} />
          <p className="muted small">{t('telegram.linkHelp')}</p>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() =>
              void navigator.clipboard?.writeText(url).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? t('telegram.linkCopied') : t('telegram.linkCopy')}
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button button--secondary button--block"
          onClick={() => void create()}
        >
          {t('telegram.linkCreate')}
        </button>
      )}
      {error ? (
        <p className="form__error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
