import { createHash, timingSafeEqual } from 'node:crypto';
import { simpleParser, type Attachment, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** An SMTP reply that refuses a message: 4xx is temporary (retry later), 5xx permanent. */
export interface SmtpFailure {
  code: number;
  /** Text after the code, e.g. '4.3.0 Try again later' or '5.1.1 No such user'. */
  message: string;
}

export interface SinkMessage {
  /** The message exactly as it came after DATA. */
  raw: Buffer;
  envelope: { from: string | null; to: string[] };
  /** The user that logged in for this message, if any. */
  authUser: string | null;
  parsed: ParsedMail;
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string[];
  subject: string | undefined;
  text: string | undefined;
  html: string | undefined;
  attachments: Attachment[];
  receivedAt: Date;
}

export interface RejectedMessage {
  envelope: { from: string | null; to: string[] };
  subject: string | undefined;
  failure: SmtpFailure;
}

export interface SmtpSinkOptions {
  user?: string;
  password?: string;
  /** Accept mail without AUTH. Default false: a sender must log in. */
  authOptional?: boolean;
  /** Refuse every message with this reply, or with what the function returns for it. */
  failWith?: SmtpFailure | ((mail: SinkMessage) => SmtpFailure | undefined);
}

export interface SmtpSink {
  /** smtp://user:password@127.0.0.1:port */
  smtpUrl: string;
  host: string;
  port: number;
  user: string;
  password: string;
  /** Accepted messages, in the order they were accepted. */
  messages: SinkMessage[];
  /** Messages that were answered with a failure. */
  rejected: RejectedMessage[];
  /** Answer the next `count` messages with `failure`, then accept again. */
  failNext(count: number, failure: SmtpFailure): void;
  /** The first accepted message (already here or still to come) for which `predicate` holds. */
  waitFor(predicate?: (mail: SinkMessage) => boolean, timeoutMs?: number): Promise<SinkMessage>;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function smtpError(failure: SmtpFailure): Error {
  if (failure.code < 400 || failure.code > 599) {
    throw new Error(`an SMTP failure needs a 4xx or 5xx code, not ${failure.code}`);
  }
  return Object.assign(new Error(failure.message), { responseCode: failure.code });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function envelopeOf(session: SMTPServerSession): SinkMessage['envelope'] {
  const from = session.envelope.mailFrom;
  return {
    from: from ? from.address : null,
    to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
  };
}

async function toSinkMessage(raw: Buffer, session: SMTPServerSession): Promise<SinkMessage> {
  const parsed = await simpleParser(raw);
  const references = parsed.references;
  return {
    raw,
    envelope: envelopeOf(session),
    authUser: session.user ?? null,
    parsed,
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references:
      references === undefined ? [] : Array.isArray(references) ? references : [references],
    subject: parsed.subject,
    text: parsed.text,
    html: parsed.html === false ? undefined : parsed.html,
    attachments: parsed.attachments,
    receivedAt: new Date(),
  };
}

/**
 * An SMTP server on 127.0.0.1 (free port) that keeps what it receives, for tests of outbound mail.
 * Plain text only (no STARTTLS), AUTH PLAIN and LOGIN with the given user and password.
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const user = options.user ?? 'sink';
  const password = options.password ?? 'sink-password';
  const messages: SinkMessage[] = [];
  const rejected: RejectedMessage[] = [];
  const failures: SmtpFailure[] = [];
  const waiters = new Set<(mail: SinkMessage) => void>();

  const server = new SMTPServer({
    secure: false,
    // nodemailer upgrades to TLS whenever STARTTLS is offered; this loopback sink is plain text.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: options.authOptional ?? false,
    authMethods: ['PLAIN', 'LOGIN'],
    size: 64 * 1024 * 1024,
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, callback) {
      const ok =
        (auth.method === 'PLAIN' || auth.method === 'LOGIN') &&
        sameSecret(auth.username ?? '', user) &&
        sameSecret(auth.password ?? '', password);
      if (ok) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.8 Authentication failed'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      readAll(stream)
        .then((raw) => toSinkMessage(raw, session))
        .then((mail) => {
          const failure =
            failures.shift() ??
            (typeof options.failWith === 'function' ? options.failWith(mail) : options.failWith);
          if (failure) {
            rejected.push({ envelope: mail.envelope, subject: mail.subject, failure });
            callback(smtpError(failure));
            return;
          }
          messages.push(mail);
          for (const waiter of waiters) waiter(mail);
          callback(null);
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('the SMTP sink has no port');
  const port = address.port;
  const host = '127.0.0.1';

  return {
    smtpUrl: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}`,
    host,
    port,
    user,
    password,
    messages,
    rejected,
    failNext(count, failure) {
      smtpError(failure);
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    waitFor(predicate = () => true, timeoutMs = 5000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<SinkMessage>((resolve, reject) => {
        const waiter = (mail: SinkMessage) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = messages.map((m) => m.subject ?? '(no subject)').join(', ') || 'none';
          reject(new Error(`no matching message within ${timeoutMs} ms; received: ${seen}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
