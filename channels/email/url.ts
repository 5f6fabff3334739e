/** A mailbox as `imap://user:pass@host:143/INBOX` or `imaps://…:993/…` says it. */
export interface ImapTarget {
  host: string;
  port: number;
  /** TLS from the first byte (imaps); plain `imap` upgrades with STARTTLS when offered. */
  secure: boolean;
  user: string;
  password: string;
  mailbox: string;
}

/** An SMTP server as `smtp://user:pass@host:587` or `smtps://…:465` says it. */
export interface SmtpTarget {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
}

export function parseImapUrl(value: string): ImapTarget {
  const url = new URL(value);
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:')
    throw new Error('must start with imap:// or imaps://');
  const secure = url.protocol === 'imaps:';
  if (!url.username) throw new Error('has no user name');
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (secure ? 993 : 143)),
    secure,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    mailbox: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

export function parseSmtpUrl(value: string): SmtpTarget {
  const url = new URL(value);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error('must start with smtp:// or smtps://');
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (secure ? 465 : 587)),
    secure,
    ...(url.username
      ? {
          user: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
        }
      : {}),
  };
}

/** An error message with the password taken out, should a library have put it in. */
export function redact(message: string, ...secrets: (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (!secret) continue;
    out = out.split(secret).join('••••');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('••••');
  }
  return out;
}

/** `"Acme Support" <support@example.com>` or a bare address → its parts. */
export function parseMailbox(value: string): { address: string; name?: string } | undefined {
  const trimmed = value.trim();
  const angled = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(trimmed);
  const address = (angled ? angled[2]! : trimmed).toLowerCase();
  if (
    !/^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/.test(address) &&
    !/^[^@\s<>"]+@localhost$/.test(address)
  )
    return undefined;
  const name = angled?.[1]?.trim().replace(/^"|"$/g, '').trim();
  return { address, ...(name ? { name } : {}) };
}
