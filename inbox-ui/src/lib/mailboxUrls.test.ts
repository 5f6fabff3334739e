import { describe, expect, it } from 'vitest';
import { importProgress, mailboxUrls, type MailboxForm } from './mailboxUrls';

const form: MailboxForm = {
  imapHost: 'imap.example.com',
  imapPort: '',
  imapTls: true,
  mailbox: '',
  smtpHost: 'smtp.example.com',
  smtpPort: '587',
  smtpTls: false,
  user: 'support@example.com',
  password: 'p@ss:word/1',
};

describe('mailbox URLs', () => {
  it('compose the credentials from the fields, escaping user and password', () => {
    expect(mailboxUrls(form)).toEqual({
      imapUrl: 'imaps://support%40example.com:p%40ss%3Aword%2F1@imap.example.com:993/INBOX',
      smtpUrl: 'smtp://support%40example.com:p%40ss%3Aword%2F1@smtp.example.com:587',
    });
    expect(mailboxUrls({ ...form, imapTls: false, mailbox: 'Support/New' }).imapUrl).toBe(
      'imap://support%40example.com:p%40ss%3Aword%2F1@imap.example.com:143/Support%2FNew',
    );
  });

  it('read the import progress from the health detail', () => {
    expect(importProgress({ phase: 'initial', imported: 412, total: 1980 })).toEqual({
      imported: 412,
      total: 1980,
      done: false,
    });
    expect(importProgress({ phase: 'initial' })).toBeUndefined();
    expect(importProgress(undefined)).toBeUndefined();
  });
});
