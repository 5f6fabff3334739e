// Small DOM-free helpers for the widget: embed configuration, input validation, error text.
import type { Translate } from './i18n';

export const MAX_MESSAGE_LENGTH = 4000;
export const MAX_NAME_LENGTH = 200;
export const TOKEN_KEY = 'switchboard.visitorToken';
export const SEEN_KEY = 'switchboard.seenAt';

/**
 * The server that served the widget script is the one to talk to, so an embed on another site
 * needs no configuration. Only the origin is used: socket.io reads a URL path as the namespace.
 */
export function serverBase(scriptSrc: string | null | undefined, fallbackOrigin: string): string {
  if (scriptSrc) {
    try {
      const url = new URL(scriptSrc, fallbackOrigin);
      if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
    } catch {
      // Fall through to the page origin.
    }
  }
  return fallbackOrigin.replace(/\/+$/, '');
}

export type TextCheck = { ok: true; text: string } | { ok: false; reason: 'empty' | 'too_long' };

export function checkMessage(raw: string): TextCheck {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'empty' };
  // Count code points, not UTF-16 units, so emoji-heavy text is not cut short.
  if ([...text].length > MAX_MESSAGE_LENGTH) return { ok: false, reason: 'too_long' };
  return { ok: true, text };
}

/** A deliberately loose shape check; the server validates for real. */
export function isEmail(value: string): boolean {
  const v = value.trim();
  return (
    v.length <= 254 && /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:".]{2,}$/.test(v)
  );
}

export type ContactCheck =
  { ok: true; contact: { name?: string; email: string } } | { ok: false; field: 'email' };

export function checkContact(name: string, email: string): ContactCheck {
  if (!isEmail(email)) return { ok: false, field: 'email' };
  const trimmedName = name.trim().slice(0, MAX_NAME_LENGTH);
  return {
    ok: true,
    contact: trimmedName ? { name: trimmedName, email: email.trim() } : { email: email.trim() },
  };
}

export interface AckError {
  code?: string;
  message?: string;
}

/** Reads the `error` out of an acknowledgement such as `{error:{code,message}}`. */
export function ackError(ack: unknown): AckError | null {
  if (typeof ack !== 'object' || ack === null) return null;
  const error = (ack as { error?: unknown }).error;
  if (error === undefined || error === null) return null;
  if (typeof error === 'string') return { message: error };
  if (typeof error !== 'object') return {};
  const e = error as Record<string, unknown>;
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    message: typeof e.message === 'string' ? e.message : undefined,
  };
}

/** Known codes get a translated text; otherwise the server's own message, else a generic one. */
export function errorText(error: AckError, t: Translate): string {
  switch (error.code) {
    case 'timeout':
      return t('errorTimeout');
    case 'rate_limited':
    case 'too_many_requests':
      return t('errorRateLimited');
    case 'too_long':
      return t('tooLong', { max: MAX_MESSAGE_LENGTH });
    default:
      return error.message || t('errorGeneric');
  }
}
