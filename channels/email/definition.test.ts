import { describe, expect, it } from 'vitest';
import { ChannelEnvError } from '../types';
import { emailChannel, emailSettings } from './definition';

const channel = emailChannel({
  maxAttachmentBytes: 1024,
  logger: { info: () => undefined, warn: () => undefined },
});
const good = {
  IMAP_URL: 'imap://support:secret@127.0.0.1:143/INBOX',
  SMTP_URL: 'smtp://support:secret@127.0.0.1:587',
  EMAIL_FROM: 'Acme Support <Support@Example.com>',
};

describe('emailChannel', () => {
  it('describes the inbox the variables set, keyed by the lower-cased address', () => {
    const spec = channel.fromEnv!(good)!;
    expect(spec.name).toBe('Acme Support');
    expect(spec.credentials).toEqual({
      imapUrl: good.IMAP_URL,
      smtpUrl: good.SMTP_URL,
      from: good.EMAIL_FROM,
    });
    expect(channel.routingKey!(spec.credentials as never)).toBe('support@example.com');
    expect(channel.fromEnv!({})).toBeUndefined();
  });

  it.each([
    [{ IMAP_URL: good.IMAP_URL }, 'SMTP_URL'],
    [{ IMAP_URL: good.IMAP_URL, SMTP_URL: good.SMTP_URL }, 'EMAIL_FROM'],
    [{ SMTP_URL: good.SMTP_URL, EMAIL_FROM: good.EMAIL_FROM }, 'IMAP_URL'],
    [{ ...good, IMAP_URL: 'http://example.com' }, 'IMAP_URL'],
    [{ ...good, EMAIL_FROM: 'not an address' }, 'EMAIL_FROM'],
  ])('refuses %j naming %s', (env, variable) => {
    try {
      channel.fromEnv!(env);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ChannelEnvError);
      expect((err as ChannelEnvError).variable).toBe(variable);
      expect((err as Error).message).not.toContain('secret');
    }
  });

  it('never shows a password in a credentials error', () => {
    const parsed = channel.credentials.safeParse({
      imapUrl: 'ftp://user:hunter2@host/INBOX',
      smtpUrl: good.SMTP_URL,
      from: 'a@example.com',
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).not.toContain('hunter2');
  });

  it('reads settings with their defaults', () => {
    expect(emailSettings({})).toEqual({
      firstSyncDays: 14,
      threadWindowDays: 14,
      markSeen: false,
      signature: '',
      senderName: 'agent',
      displayName: undefined,
      replyTokenInAddress: false,
    });
    expect(
      emailSettings({ firstSyncDays: 3, markSeen: true, senderName: 'company' }),
    ).toMatchObject({ firstSyncDays: 3, markSeen: true, senderName: 'company' });
  });
});
