import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { ChannelEnvError, type ChannelDefinition } from '../types';
import { parseEmail } from './parse';
import { ImapReceiver, type ReceiverLogger } from './receiver';
import { sendEmail, type SendSettings } from './send';
import { parseImapUrl, parseMailbox, parseSmtpUrl, redact } from './url';

export interface EmailChannelDeps {
  /** Attachments over this are kept as `too_large` without their bytes (MEDIA_MAX_BYTES). */
  maxAttachmentBytes: number;
  logger: ReceiverLogger;
  /** Timeouts of "test connection" and of connecting at all. */
  connectTimeoutMs?: number;
}

const urlWith = (protocols: string[], parse: (v: string) => unknown) =>
  z
    .string()
    .trim()
    .min(1, 'required')
    .max(2000)
    .superRefine((value, ctx) => {
      try {
        parse(value);
      } catch (err) {
        // The value holds a password: the message names the rule, never the value.
        ctx.addIssue({
          code: 'custom',
          message: `must be a ${protocols.join(' or ')} URL (${(err as Error).message.replace(/:.*$/, '')})`,
        });
      }
    });

const credentials = z
  .object({
    imapUrl: urlWith(['imap://', 'imaps://'], parseImapUrl),
    smtpUrl: urlWith(['smtp://', 'smtps://'], parseSmtpUrl),
    from: z
      .string()
      .trim()
      .max(400)
      .refine((v) => parseMailbox(v) !== undefined, 'must be an e-mail address'),
  })
  .strict();

export type EmailCredentials = z.infer<typeof credentials>;

/** The inbox's plain settings for e-mail, with their defaults. */
export interface EmailSettings {
  firstSyncDays: number;
  threadWindowDays: number;
  markSeen: boolean;
  signature: string;
  senderName: 'agent' | 'company';
  displayName: string | undefined;
  replyTokenInAddress: boolean;
}

export function emailSettings(settings: Readonly<Record<string, unknown>>): EmailSettings {
  const days = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 3650 ? v : fallback;
  return {
    firstSyncDays: days(settings['firstSyncDays'], 14),
    threadWindowDays: days(settings['threadWindowDays'], 14),
    markSeen: settings['markSeen'] === true,
    signature: typeof settings['signature'] === 'string' ? settings['signature'] : '',
    senderName: settings['senderName'] === 'company' ? 'company' : 'agent',
    displayName:
      typeof settings['displayName'] === 'string' && settings['displayName'].trim()
        ? settings['displayName'].trim()
        : undefined,
    replyTokenInAddress: settings['replyTokenInAddress'] === true,
  };
}

function withTimeout<T>(what: string, ms: number, run: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${ms / 1000} s`)),
      ms,
    );
    run.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function reason(err: unknown): string {
  const e = err as { responseText?: string; response?: string; message?: string; code?: string };
  return e.responseText || e.response || e.message || e.code || String(err);
}

/** Logs in to IMAP and opens the mailbox; throws why not. */
async function checkImap(imapUrl: string, timeoutMs: number): Promise<void> {
  const target = parseImapUrl(imapUrl);
  const client = new ImapFlow({
    host: target.host,
    port: target.port,
    secure: target.secure,
    auth: { user: target.user, pass: target.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  client.on('error', () => undefined);
  try {
    await withTimeout('IMAP', timeoutMs, client.connect());
    await withTimeout('IMAP', timeoutMs, client.mailboxOpen(target.mailbox, { readOnly: true }));
    await client.logout().catch(() => undefined);
  } catch (err) {
    throw new Error(redact(reason(err), target.password));
  } finally {
    client.close();
  }
}

/** Connects and logs in to SMTP (nodemailer's verify); throws why not. */
async function checkSmtp(smtpUrl: string, timeoutMs: number): Promise<void> {
  const target = parseSmtpUrl(smtpUrl);
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    ...(target.user ? { auth: { user: target.user, pass: target.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await withTimeout('SMTP', timeoutMs, transport.verify());
  } catch (err) {
    throw new Error(redact(reason(err), target.password));
  } finally {
    transport.close();
  }
}

/**
 * The e-mail channel: a mailbox read over IMAP (IDLE, a UIDVALIDITY/UID cursor) and answered
 * over SMTP. Threading, auto-reply and bounce recognition happen in `parse` (what the message
 * says) and in ingest (which conversation that means).
 */
export function emailChannel(deps: EmailChannelDeps): ChannelDefinition<EmailCredentials> {
  const connectTimeoutMs = deps.connectTimeoutMs ?? 15_000;
  return {
    kind: 'email',
    displayName: 'E-mail',
    recipientKind: 'email',
    supportsTyping: false,
    threaded: false,
    credentials,
    credentialKeys: ['imapUrl', 'smtpUrl', 'from'],
    routingKey: (c) => parseMailbox(c.from)?.address ?? null,

    async validate(c) {
      const [imap, smtp] = await Promise.allSettled([
        checkImap(c.imapUrl, connectTimeoutMs),
        checkSmtp(c.smtpUrl, connectTimeoutMs),
      ]);
      const problems = [
        imap.status === 'rejected' ? `IMAP: ${(imap.reason as Error).message}` : '',
        smtp.status === 'rejected' ? `SMTP: ${(smtp.reason as Error).message}` : '',
      ].filter(Boolean);
      if (problems.length) throw new Error(problems.join('; '));
      const from = parseMailbox(c.from);
      return { name: from?.name ?? from?.address ?? 'E-mail' };
    },

    fromEnv(env) {
      const vars = {
        IMAP_URL: env['IMAP_URL'],
        SMTP_URL: env['SMTP_URL'],
        EMAIL_FROM: env['EMAIL_FROM'],
      } as Record<string, unknown>;
      const set = Object.entries(vars).filter(([, v]) => typeof v === 'string' && v !== '');
      if (!set.length) return undefined;
      if (set.length < 3) {
        const missing = Object.keys(vars).find((k) => !set.some(([name]) => name === k))!;
        const others = Object.keys(vars).filter((k) => k !== missing);
        throw new ChannelEnvError(missing, `must be set together with ${others.join(' and ')}`);
      }
      const value = { imapUrl: vars.IMAP_URL, smtpUrl: vars.SMTP_URL, from: vars.EMAIL_FROM };
      const parsed = credentials.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const variable = { imapUrl: 'IMAP_URL', smtpUrl: 'SMTP_URL', from: 'EMAIL_FROM' }[
          String(issue.path[0]) as 'imapUrl' | 'smtpUrl' | 'from'
        ];
        throw new ChannelEnvError(variable ?? 'EMAIL_FROM', issue.message);
      }
      const from = parseMailbox(parsed.data.from)!;
      return { name: from.name ?? from.address, credentials: parsed.data };
    },

    create(inbox, c) {
      const from = parseMailbox(c.from)!;
      const smtp = parseSmtpUrl(c.smtpUrl);
      const settings = emailSettings(inbox.settings);
      const transport = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.secure,
        ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
        pool: true,
        maxConnections: 2,
        connectionTimeout: connectTimeoutMs,
        greetingTimeout: connectTimeoutMs,
        socketTimeout: 60_000,
      });
      const sendSettings: SendSettings = {
        from,
        companyName: settings.displayName ?? from.name ?? inbox.name,
        senderName: settings.senderName,
        signature: settings.signature,
        replyTokenInAddress: settings.replyTokenInAddress,
      };
      const ownAddresses = [from.address];
      return {
        send: (message, { signal }) => sendEmail(transport, message, sendSettings, signal),
        receiver: new ImapReceiver({
          target: parseImapUrl(c.imapUrl),
          inboxId: inbox.id,
          logger: deps.logger,
          firstSyncDays: settings.firstSyncDays,
          markSeen: settings.markSeen,
          connectTimeoutMs,
          parse: (raw, receivedAt) =>
            parseEmail(raw, {
              ownAddresses,
              maxAttachmentBytes: deps.maxAttachmentBytes,
              windowDays: settings.threadWindowDays,
              ...(receivedAt ? { receivedAt } : {}),
            }),
        }),
        close: async () => transport.close(),
      };
    },
  };
}
