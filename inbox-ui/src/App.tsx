import { useCallback, useEffect, useRef, useState } from 'react';
import { api, setUnauthorizedHandler } from './api/client';
import type { Locale, User } from './api/types';
import { Login } from './components/Login';
import { Workspace } from './components/Workspace';
import { directionOf, isLocale } from './i18n/core';
import { I18nProvider, makeI18n } from './i18n/I18nContext';
import { takeSession } from './lib/prefetch';

type Session =
  { status: 'loading' } | { status: 'anonymous' } | { status: 'signed-in'; user: User };

const LOCALE_KEY = 'sb.locale';

/** Before sign-in: the last language used on this browser, else the browser's own. */
export function initialLocale(): Locale {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(LOCALE_KEY);
  if (isLocale(stored)) return stored;
  const browser = typeof navigator === 'undefined' ? 'en' : navigator.language.slice(0, 2);
  return isLocale(browser) ? browser : 'en';
}

export function App() {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const [locale, setLocale] = useState<Locale>(initialLocale);

  useEffect(() => {
    setUnauthorizedHandler(() => setSession({ status: 'anonymous' }));
    takeSession()
      .then(({ user }) => {
        setSession({ status: 'signed-in', user });
        if (isLocale(user.locale)) setLocale(user.locale);
      })
      .catch(() => setSession({ status: 'anonymous' }));
  }, []);

  // The whole document follows the language: Persian turns the layout right-to-left.
  useEffect(() => {
    const root = document.documentElement;
    root.lang = locale;
    root.dir = directionOf(locale);
    document.title = makeI18n(locale).t('app.name');
    try {
      localStorage.setItem(LOCALE_KEY, locale);
    } catch {
      // Private mode may refuse storage; the choice is also saved on the server.
    }
  }, [locale]);

  // A language picked on the sign-in screen is a choice too: it is saved once signed in.
  const pickedBeforeSignIn = useRef<Locale | null>(null);

  const changeLocale = useCallback(
    (next: Locale) => {
      setLocale(next);
      if (session.status !== 'signed-in') pickedBeforeSignIn.current = next;
      if (session.status === 'signed-in') {
        api.updateMe({ locale: next }).then(
          ({ user }) => setSession({ status: 'signed-in', user }),
          () => {},
        );
      }
    },
    [session.status],
  );

  const logout = useCallback(() => {
    api
      .logout()
      .catch(() => {})
      .finally(() => {
        setSession({ status: 'anonymous' });
        window.history.replaceState(null, '', '#/');
      });
  }, []);

  return (
    <I18nProvider locale={locale}>
      {session.status === 'loading' ? (
        <div className="boot" aria-busy="true">
          <span className="spinner" aria-hidden="true" />
        </div>
      ) : session.status === 'anonymous' ? (
        <Login
          onLocale={changeLocale}
          onLoggedIn={(user) => {
            const picked = pickedBeforeSignIn.current;
            pickedBeforeSignIn.current = null;
            setSession({ status: 'signed-in', user });
            if (picked && picked !== user.locale) {
              api.updateMe({ locale: picked }).then(
                (r) => setSession({ status: 'signed-in', user: r.user }),
                () => {},
              );
            } else if (isLocale(user.locale)) {
              setLocale(user.locale);
            }
          }}
        />
      ) : (
        <Workspace me={session.user} onLocale={changeLocale} onLogout={logout} />
      )}
    </I18nProvider>
  );
}
