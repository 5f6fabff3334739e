import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, api } from '../api/client';
import type { Locale, User } from '../api/types';
import { LOCALES, LOCALE_NAMES } from '../i18n/core';
import { useI18n } from '../i18n/I18nContext';

interface Props {
  onLocale: (locale: Locale) => void;
  onLoggedIn: (user: User) => void;
}

/**
 * Sign-in. The response's token is deliberately dropped: the server also sets the httpOnly
 * `sb_session` cookie, which is what the app uses, so script on the page never holds the token.
 */
export function Login({ onLocale, onLoggedIn }: Props) {
  const { t, locale } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await api.login(email.trim(), password);
      onLoggedIn(user);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? t('login.invalid')
          : err instanceof ApiError && err.status === 429
            ? t('error.rateLimited')
            : t('error.generic'),
      );
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <div className="login__card">
        <div className="login__brand">
          <svg viewBox="0 0 32 32" width="40" height="40" aria-hidden="true">
            <rect width="32" height="32" rx="8" fill="currentColor" />
            <path
              d="M9 11h14M9 16h10M9 21h6"
              stroke="#fff"
              strokeWidth="2.5"
              strokeLinecap="round"
            />
          </svg>
          <h1>{t('login.title')}</h1>
          <p className="muted">{t('login.subtitle')}</p>
        </div>
        <form className="form" onSubmit={(e) => void submit(e)}>
          <label className="field">
            <span>{t('login.email')}</span>
            <input
              data-testid="login-email"
              type="email"
              autoComplete="username"
              dir="ltr"
              required
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t('login.password')}</span>
            <input
              data-testid="login-password"
              type="password"
              autoComplete="current-password"
              dir="ltr"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          {error ? (
            <p className="form__error" role="alert">
              {error}
            </p>
          ) : null}
          <button
            data-testid="login-submit"
            type="submit"
            className="button button--primary button--block"
            disabled={busy}
          >
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <label className="login__locale">
          <span className="visually-hidden">{t('nav.language')}</span>
          <select
            data-testid="locale-select"
            aria-label={t('nav.language')}
            value={locale}
            onChange={(e) => onLocale(e.target.value as Locale)}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
      </div>
    </main>
  );
}
