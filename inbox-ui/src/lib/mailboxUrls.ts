/** A mailbox as an admin types it into Settings. */
export interface MailboxForm {
  imapHost: string;
  imapPort: string;
  imapTls: boolean;
  mailbox: string;
  smtpHost: string;
  smtpPort: string;
  smtpTls: boolean;
  user: string;
  password: string;
}

const part = (s: string) => encodeURIComponent(s.trim());

function host(value: string): string {
  const h = value.trim();
  // An IPv6 address goes in brackets in a URL.
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

/**
 * The credentials the server takes (`imapUrl`, `smtpUrl`), composed from the form's fields:
 * TLS from the first byte is `imaps`/`smtps`; without it, STARTTLS is used when offered.
 */
export function mailboxUrls(form: MailboxForm): { imapUrl: string; smtpUrl: string } {
  const auth = `${part(form.user)}:${part(form.password)}@`;
  const imapPort = form.imapPort.trim() || (form.imapTls ? '993' : '143');
  const smtpPort = form.smtpPort.trim() || (form.smtpTls ? '465' : '587');
  return {
    imapUrl: `${form.imapTls ? 'imaps' : 'imap'}://${auth}${host(form.imapHost)}:${imapPort}/${part(form.mailbox || 'INBOX')}`,
    smtpUrl: `${form.smtpTls ? 'smtps' : 'smtp'}://${auth}${host(form.smtpHost)}:${smtpPort}`,
  };
}

/** "412 of 1,980 imported" from an e-mail inbox's health detail, if it is importing. */
export function importProgress(
  detail: Record<string, unknown> | undefined,
): { imported: number; total: number; done: boolean } | undefined {
  if (!detail) return undefined;
  const { imported, total, phase } = detail;
  if (typeof imported !== 'number' || typeof total !== 'number') return undefined;
  return { imported, total, done: phase === 'live' };
}
