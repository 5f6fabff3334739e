import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { Locale } from '../api/types';
import { directionOf, translate } from './core';
import type { Translate } from './core';
import { DICTIONARIES } from './dictionaries';

export interface I18n {
  locale: Locale;
  dir: 'ltr' | 'rtl';
  t: Translate;
}

export function makeI18n(locale: Locale): I18n {
  const dict = DICTIONARIES[locale];
  return { locale, dir: directionOf(locale), t: (key, vars) => translate(dict, locale, key, vars) };
}

const I18nContext = createContext<I18n>(makeI18n('en'));

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo(() => makeI18n(locale), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
