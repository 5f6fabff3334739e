// The e-mail inbox that IMAP_URL, SMTP_URL and EMAIL_FROM describe (CONTRACT): created at start,
// read over IMAP like any other; a partial set stops start-up naming the missing variable.
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config';
import { createTestStorage } from '../helpers/database';
import { createMailUser } from '../helpers/mail/dovecot';
import { startSmtpSink, type SmtpSink } from '../helpers/mail/smtp-sink';
import { login, startTestServer, type TestServer } from '../helpers/server';
import { EMAIL_ENV, append, customerMail, waitForStored } from './email-helpers';

describe('an e-mail inbox from environment variables', () => {
  let t: TestServer | undefined;
  let sink: SmtpSink | undefined;
  afterAll(async () => {
    await t?.stop();
    await sink?.close();
  });

  it('stops start-up naming the variable that is missing', async () => {
    const storage = await createTestStorage();
    try {
      await expect(
        startTestServer({ IMAP_URL: 'imap://u:p@127.0.0.1:1/INBOX' }, { storage }),
      ).rejects.toSatisfy(
        (err) => err instanceof ConfigError && /SMTP_URL: must be set together/.test(err.message),
      );
    } finally {
      await storage.cleanup();
    }
  });

  it('is created at start and takes mail in', async () => {
    const mailbox = await createMailUser();
    sink = await startSmtpSink();
    t = await startTestServer({
      ...EMAIL_ENV,
      IMAP_URL: mailbox.imapUrl,
      SMTP_URL: sink.smtpUrl,
      EMAIL_FROM: 'Acme Support <support@example.com>',
    });
    const admin = await login(t.url);
    const list = await admin.get<{ items: { name: string; source: string; channel: string }[] }>(
      '/api/v1/inboxes',
    );
    expect(list.body.items.find((i) => i.channel === 'email')).toMatchObject({
      name: 'Acme Support',
      source: 'env',
    });
    const m = customerMail({ from: 'env.customer@example.org', subject: 'Hi', text: 'Hello' });
    await append(mailbox.imapUrl, m.raw);
    expect((await waitForStored(t, m.messageId)).text).toBe('Hello');
  });
});
