import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { inject } from 'vitest';
import type { DovecotInfo } from './dovecot-server';

const run = promisify(execFile);

/** What test/helpers/mail/global-setup.ts hands to every test file. */
export type DovecotContext = ({ ok: true } & DovecotInfo) | { ok: false; error: string };

declare module 'vitest' {
  export interface ProvidedContext {
    dovecot: DovecotContext;
  }
}

/** The run's shared Dovecot; throws the reason when it is not there. */
export function dovecot(): DovecotInfo {
  const context = inject('dovecot');
  if (!context) {
    throw new Error(
      'No Dovecot: add test/helpers/mail/global-setup.ts to globalSetup in vitest.config.ts',
    );
  }
  if (!context.ok) throw new Error(context.error);
  return context;
}

export interface MailUser {
  user: string;
  password: string;
  /** imap://user:password@127.0.0.1:port/INBOX */
  imapUrl: string;
}

/**
 * A new mailbox user with its own empty INBOX, usable at once. Each user has its own Maildir, so
 * users never see each other's mail.
 */
export async function createMailUser(): Promise<MailUser> {
  const server = dovecot();
  const user = `u${randomBytes(6).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  // user:password:uid:gid:gecos:home:shell:extra. uid, gid and home come from the userdb's
  // default_fields. A file of its own, because Dovecot re-reads a changed passwd-file at most
  // once a second (see dovecot-server.ts).
  await writeFile(join(server.passwdDir, user), `${user}:{PLAIN}${password}::::::\n`, {
    flag: 'wx',
    mode: 0o644,
  });
  return {
    user,
    password,
    imapUrl: `imap://${user}:${password}@${server.host}:${server.port}/INBOX`,
  };
}

export interface ImapTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  mailbox: string;
}

export function parseImapUrl(imapUrl: string): ImapTarget {
  const url = new URL(imapUrl);
  if (url.protocol !== 'imap:') throw new Error(`not an imap:// URL: ${imapUrl}`);
  return {
    host: url.hostname,
    port: Number(url.port || 143),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    mailbox: decodeURIComponent(url.pathname.slice(1)) || 'INBOX',
  };
}

/** A logged-in imapflow client for the URL's user (plain text, no TLS). Log out when done. */
export async function connectImap(imapUrl: string): Promise<ImapFlow> {
  const target = parseImapUrl(imapUrl);
  const client = new ImapFlow({
    host: target.host,
    port: target.port,
    secure: false,
    auth: { user: target.user, pass: target.password },
    logger: false,
  });
  // A dropped connection is reported through the pending command; without a listener the
  // 'error' event would also crash the test worker.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export async function withImap<T>(
  imapUrl: string,
  use: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const client = await connectImap(imapUrl);
  try {
    return await use(client);
  } finally {
    if (client.usable) await client.logout();
    else client.close();
  }
}

/** APPENDs one RFC 822 message to the URL's mailbox (INBOX by default). */
export async function appendMessage(
  imapUrl: string,
  rawRfc822: Buffer | string,
  flags: string[] = [],
): Promise<{ uid: number; uidValidity: number }> {
  const { mailbox } = parseImapUrl(imapUrl);
  const result = await withImap(imapUrl, (client) => client.append(mailbox, rawRfc822, flags));
  if (!result || result.uid === undefined || result.uidValidity === undefined) {
    throw new Error(`APPEND to ${mailbox} did not report a UID`);
  }
  return { uid: result.uid, uidValidity: Number(result.uidValidity) };
}

export async function getUidValidity(imapUrl: string): Promise<number> {
  const { mailbox } = parseImapUrl(imapUrl);
  const status = await withImap(imapUrl, (client) => client.status(mailbox, { uidValidity: true }));
  if (!status || status.uidValidity === undefined) throw new Error(`no UIDVALIDITY for ${mailbox}`);
  return Number(status.uidValidity);
}

/**
 * Sets the mailbox's UIDVALIDITY (through `doveadm mailbox update`), as a server does after it
 * rebuilt a mailbox: every UID a client remembers is void. Works for INBOX too; messages stay.
 */
export async function setUidValidity(imapUrl: string, uidValidity: number): Promise<void> {
  const server = dovecot();
  const { user, mailbox } = parseImapUrl(imapUrl);
  await run('doveadm', [
    '-c',
    server.configPath,
    'mailbox',
    'update',
    '--uid-validity',
    String(uidValidity),
    '-u',
    user,
    mailbox,
  ]);
}

/** Changes the mailbox's UIDVALIDITY to a new value and returns both. */
export async function bumpUidValidity(imapUrl: string): Promise<{ before: number; after: number }> {
  const before = await getUidValidity(imapUrl);
  // UIDVALIDITY is a non-zero 32-bit number.
  const after = before >= 0xffffffff ? 1 : before + 1;
  await setUidValidity(imapUrl, after);
  return { before, after };
}

/**
 * Deletes (if it exists) and creates a mailbox other than INBOX, which IMAP cannot delete: it comes
 * back empty with a new UIDVALIDITY, as after a user removed and re-made a folder.
 */
export async function recreateMailbox(imapUrl: string): Promise<void> {
  const { mailbox } = parseImapUrl(imapUrl);
  if (mailbox.toUpperCase() === 'INBOX') {
    throw new Error('INBOX cannot be deleted: use setUidValidity or bumpUidValidity');
  }
  await withImap(imapUrl, async (client) => {
    const existing = await client.list();
    if (existing.some((box) => box.path === mailbox)) await client.mailboxDelete(mailbox);
    await client.mailboxCreate(mailbox);
  });
}

/** The same URL pointing at another mailbox of the same user. */
export function mailboxUrl(imapUrl: string, mailbox: string): string {
  const url = new URL(imapUrl);
  url.pathname = `/${encodeURIComponent(mailbox)}`;
  return url.toString();
}
