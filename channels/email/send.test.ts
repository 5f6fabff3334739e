import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../types';
import { buildMail, smtpFailure, type SendSettings } from './send';
import { parseOurMessageId } from './threading';

const settings: SendSettings = {
  from: { address: 'support@example.com', name: 'Acme Support' },
  companyName: 'Acme Support',
  senderName: 'agent',
  signature: 'Acme Support\nhttps://acme.example',
  replyTokenInAddress: false,
};

const outbound = (over: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: 'a1b2c3d4-e5f6-4789-abcd-ef0123456789',
  conversationId: '3f2a9c1b-7d6e-4a5b-8c9d-0e1f2a3b4c5d',
  inboxId: 'inbox',
  recipient: { kind: 'email', value: 'alice@example.org' },
  threadKey: 'your order',
  channelRef: {
    lastMessageId: '<c@client>',
    references: ['<a@client>', '<b@us>', '<c@client>'],
    subject: 'RE: Your order',
    replyTo: 'alice@example.org',
    cc: ['dave@example.org'],
  },
  subject: 'Your order',
  text: 'Hello <Alice> & co.\n\nSecond paragraph',
  attachments: [],
  senderName: 'Sam',
  createdAt: new Date(),
  ...over,
});

describe('buildMail', () => {
  it('threads the reply: our Message-ID, In-Reply-To and References of the parent, Re:', () => {
    const { messageId, mail } = buildMail(outbound(), settings);
    expect(parseOurMessageId(messageId)).toEqual({
      conversationId: '3f2a9c1b-7d6e-4a5b-8c9d-0e1f2a3b4c5d',
      messageId: 'a1b2c3d4-e5f6-4789-abcd-ef0123456789',
    });
    expect(mail).toMatchObject({
      messageId,
      inReplyTo: '<c@client>',
      references: ['<a@client>', '<b@us>', '<c@client>'],
      subject: 'Re: Your order',
      to: ['alice@example.org'],
      from: { name: 'Sam (Acme Support)', address: 'support@example.com' },
    });
    expect(mail.cc).toBeUndefined();
  });

  it('writes text and escaped HTML alternatives with the signature', () => {
    const { mail } = buildMail(outbound(), settings);
    expect(mail.text).toBe(
      'Hello <Alice> & co.\n\nSecond paragraph\n\n-- \nAcme Support\nhttps://acme.example',
    );
    expect(mail.html).toContain('<p dir="auto">Hello &lt;Alice&gt; &amp; co.</p>');
    expect(mail.html).not.toContain('<Alice>');
  });

  it('answers everyone on the thread when asked, and what the agent chose otherwise', () => {
    const all = buildMail(outbound({ meta: { email: { replyAll: true } } }), settings).mail;
    expect(all.cc).toEqual(['dave@example.org']);
    const chosen = buildMail(
      outbound({
        meta: {
          email: {
            to: [{ address: 'bob@example.org' }],
            cc: [{ address: 'support@example.com' }, { address: 'erin@example.org' }],
            bcc: [{ address: 'audit@example.org' }],
            subject: 'New subject',
          },
        },
      }),
      settings,
    ).mail;
    expect(chosen).toMatchObject({
      to: ['bob@example.org'],
      cc: ['erin@example.org'],
      bcc: ['audit@example.org'],
      subject: 'New subject',
    });
  });

  it('keeps the thread root and the newest ids of a long References chain', () => {
    const references = Array.from({ length: 40 }, (_, i) => `<r${i}@x>`);
    const { mail } = buildMail(outbound({ channelRef: { references } }), settings);
    expect(mail.references).toHaveLength(20);
    expect(mail.references?.[0]).toBe('<r0@x>');
    expect(mail.references?.at(-1)).toBe('<r39@x>');
  });

  it('signs as the company for the bot, marking the mail automatic', () => {
    const { mail } = buildMail(outbound({ senderName: null }), settings);
    expect(mail.from.name).toBe('Acme Support');
    expect(mail.headers).toMatchObject({ 'Auto-Submitted': 'auto-generated' });
  });

  it('puts the reply token in Reply-To when the inbox wants it', () => {
    const { mail } = buildMail(outbound(), { ...settings, replyTokenInAddress: true });
    expect(mail.replyTo?.address).toMatch(/^support\+sb-[a-z2-7]{26}@example\.com$/);
  });
});

describe('smtpFailure', () => {
  it('retries a 4xx', () => {
    const err = smtpFailure(
      Object.assign(new Error('x'), { responseCode: 451, response: '451 4.3.0 Try again later' }),
    );
    expect(err).toMatchObject({ retryable: true });
    expect(err.message).toContain('451 4.3.0 Try again later');
  });

  it('fails a 5xx with the server’s text, and marks an unknown recipient undeliverable', () => {
    const refused = smtpFailure(
      Object.assign(new Error('x'), { responseCode: 554, response: '554 5.7.1 Refused' }),
    );
    expect(refused).toMatchObject({ retryable: false, opts: { code: '554' } });
    expect(refused.message).toContain('554 5.7.1 Refused');
    const unknown = smtpFailure(
      Object.assign(new Error('x'), {
        responseCode: 550,
        response: '550 5.1.1 User unknown',
        command: 'RCPT TO',
      }),
    );
    expect(unknown.opts.identityState).toBe('undeliverable');
  });

  it('retries when there was no answer at all', () => {
    expect(
      smtpFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })),
    ).toMatchObject({ retryable: true });
  });
});
