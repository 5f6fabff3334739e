// The embed's configuration, from the <script> tag that loaded the widget.
import { resolveLocale, type Locale } from './i18n';
import { serverBase } from './util';

export interface Config {
  base: string;
  inboxId: string | undefined;
  locale: Locale;
  title: string | undefined;
}

// `document.currentScript` is only set while the script first runs, so read it right away.
const currentScript = document.currentScript as HTMLScriptElement | null;

export function readConfig(): Config {
  const data = currentScript?.dataset ?? {};
  return {
    base: serverBase(currentScript?.src, location.origin),
    inboxId: data.inboxId || undefined,
    locale: resolveLocale({
      attribute: data.locale,
      search: location.search,
      browser: typeof navigator === 'undefined' ? null : navigator.language,
    }),
    title: data.title || undefined,
  };
}
