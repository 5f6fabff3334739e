import type { BotLanguage } from '../db/schema';

export const BOT_LANGUAGES: readonly BotLanguage[] = ['en', 'fa', 'ru'];

export function isBotLanguage(value: unknown): value is BotLanguage {
  return value === 'en' || value === 'fa' || value === 'ru';
}

/** `fa-IR`, `ru_RU`, `EN` → a language the bot speaks, or null for any other. */
export function languageFromTag(tag: string | null | undefined): BotLanguage | null {
  const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isBotLanguage(primary) ? primary : null;
}

const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]/gu;
const CYRILLIC = /[\u0400-\u04FF]/gu;
const LATIN = /[A-Za-z\u00C0-\u024F]/gu;

/**
 * The language the letters of a text are written in: Arabic script → fa, Cyrillic → ru. Latin
 * letters say little (a Persian speaker may write Finglish), so they decide nothing.
 */
export function languageOfScript(text: string): BotLanguage | null {
  const arabic = text.match(ARABIC_SCRIPT)?.length ?? 0;
  const cyrillic = text.match(CYRILLIC)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (arabic > cyrillic && arabic >= latin && arabic > 0) return 'fa';
  if (cyrillic > arabic && cyrillic >= latin && cyrillic > 0) return 'ru';
  return null;
}

/**
 * The customer's language, from what is known, most reliable first: the profile (kept from an
 * earlier answer or a channel's hint), the channel's hint on this message (Telegram's
 * `language_code`, the widget's locale), then the script of the text. Null: ask.
 */
export function detectLanguage(facts: {
  profile?: string | null | undefined;
  hint?: string | null | undefined;
  text?: string | undefined;
}): BotLanguage | null {
  return (
    languageFromTag(facts.profile) ??
    languageFromTag(facts.hint) ??
    (facts.text ? languageOfScript(facts.text) : null)
  );
}
