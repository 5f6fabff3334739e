import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../api/client';
import { useI18n } from '../i18n/I18nContext';

type Run = (action: () => Promise<unknown>, success?: string) => Promise<boolean>;

/**
 * Adds a Telegram bot as an inbox: the token is checked with Telegram (getMe) before it is
 * saved, and the inbox takes the bot's name. The token field is a password field and is
 * cleared once saved: the server never returns it.
 */
export function TelegramInboxForm({ run }: { run: Run }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [secret, setSecret] = useState('');
  const [allowGroups, setAllowGroups] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const holder: { name?: string } = {};
    const ok = await run(async () => {
      const inbox = await api.createInbox({
        channel: 'telegram',
        settings: {
          botToken: token.trim(),
          ...(secret.trim() ? { webhookSecret: secret.trim() } : {}),
          ...(allowGroups ? { allowGroups: true } : {}),
        },
      });
      holder.name = inbox.name;
    });
    if (ok) {
      setToken('');
      setSecret('');
      setAllowGroups(false);
      if (holder.name) await run(async () => undefined, t('telegram.added', { name: holder.name }));
    }
  }

  return (
    <section className="card" data-testid="telegram-form">
      <h2>{t('telegram.addBot')}</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('telegram.token')}</span>
          <input
            required
            type="password"
            autoComplete="off"
            spellCheck={false}
            dir="ltr"
            placeholder="123456789:AA…"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
          <small className="muted">{t('telegram.tokenHelp')}</small>
        </label>
        <label className="field">
          <span>{t('telegram.secret')}</span>
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            dir="ltr"
            pattern="[A-Za-z0-9_\-]{1,256}"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
          <small className="muted">{t('telegram.secretHelp')}</small>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={allowGroups}
            onChange={(e) => setAllowGroups(e.target.checked)}
          />
          <span>{t('telegram.allowGroups')}</span>
        </label>
        <div className="form__actions">
          <button type="submit" className="button button--primary">
            {t('telegram.add')}
          </button>
        </div>
      </form>
    </section>
  );
}
