import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ConversationWithContact, Locale } from '../api/types';
import { I18nProvider } from '../i18n/I18nContext';
import { conversation, message } from '../lib/fixtures';
import { CallbackButton, callbackNumber } from './conversation/CallbackButton';
import { MessageBubble } from './MessageBubble';
import { SmsComposerInfo } from './SmsComposerInfo';

const NOW = Date.parse('2024-03-20T12:00:00Z');

function render(node: React.ReactNode, locale: Locale = 'en'): string {
  return renderToString(<I18nProvider locale={locale}>{node}</I18nProvider>);
}

function withContact(over: Partial<ConversationWithContact> = {}): ConversationWithContact {
  const c = conversation('c1', { channel: 'voice' });
  return {
    ...c,
    contact: {
      id: c.contact.id,
      name: 'Ali',
      language: 'fa',
      preferredChannel: null,
      birthday: null,
      tier: null,
      lifetimeValue: null,
      clv: null,
      notes: '',
      customAttributes: {},
      identities: [{ kind: 'phone', value: '+989121234567', state: 'ok', stateReason: null }],
      lastSeenAt: null,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    },
    ...over,
  };
}

describe('SmsComposerInfo', () => {
  it('shows encoding, segments and what is left as one types', () => {
    const html = render(
      <SmsComposerInfo channel="sms" text="Hello" isNote={false} recipient={null} />,
    );
    expect(html).toContain('GSM-7 · 1 SMS segment · 155 characters left');
    const fa = render(
      <SmsComposerInfo channel="voice" text={'سلام '.repeat(20)} isNote={false} recipient={null} />,
    );
    expect(fa).toContain('Unicode (UCS-2) · 2 SMS segments');
    // Persian is Unicode for all to see; a stray curly quote is worth explaining.
    expect(fa).not.toContain('Unicode because');
    const quote = render(
      <SmsComposerInfo channel="sms" text="It’s here" isNote={false} recipient={null} />,
    );
    // The characters may be isolated (the translator isolates what could reorder a sentence).
    expect(quote).toMatch(
      /Unicode because of \u2068?’\u2069?: 70 characters a segment instead of 160\./,
    );
  });

  it('counts in Russian with its plural forms', () => {
    const html = render(
      <SmsComposerInfo channel="sms" text="Привет" isNote={false} recipient={null} />,
      'ru',
    );
    expect(html).toContain('1 SMS-сегмент');
    expect(html).toContain('осталось 64 символа');
  });

  it('warns before one types when the customer opted out', () => {
    const html = render(
      <SmsComposerInfo
        channel="sms"
        text=""
        isNote={false}
        recipient={{
          kind: 'phone',
          value: '+15555550123',
          state: 'opted_out',
          stateReason: 'STOP',
        }}
      />,
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain('opted out of SMS (replied STOP)');
    expect(html).not.toContain('sms-counter');
  });

  it('says nothing for notes and other channels', () => {
    expect(render(<SmsComposerInfo channel="sms" text="x" isNote recipient={null} />)).toBe('');
    expect(
      render(<SmsComposerInfo channel="email" text="x" isNote={false} recipient={null} />),
    ).toBe('');
  });
});

describe('CallbackButton', () => {
  it('is there on phone conversations and stands out while a callback is requested', () => {
    expect(render(<CallbackButton conv={withContact()} onRecorded={() => {}} />)).toContain(
      'button--secondary',
    );
    const requested = render(
      <CallbackButton
        conv={withContact({ labels: ['callback_requested'] })}
        onRecorded={() => {}}
      />,
    );
    expect(requested).toContain('button--primary');
    expect(requested).toContain('Callback requested');
    expect(
      render(<CallbackButton conv={withContact({ channel: 'email' })} onRecorded={() => {}} />),
    ).toBe('');
  });

  it('calls the number the conversation came from, else the contact’s phone', () => {
    expect(callbackNumber(withContact())).toBe('+989121234567');
    expect(
      callbackNumber(
        withContact({
          recipient: { kind: 'phone', value: '+79161234567', state: 'ok', stateReason: null },
        }),
      ),
    ).toBe('+79161234567');
  });
});

describe('voicemail and files not kept', () => {
  it('plays a voicemail and names a refused file with the reason', () => {
    const html = render(
      <MessageBubble
        message={message('m1', 'c1', {
          text: '',
          attachments: [
            {
              id: 'a1',
              fileName: 'voicemail.mp3',
              contentType: 'audio/mpeg',
              size: 10,
              url: '/api/v1/attachments/a1',
              error: null,
              state: 'stored',
            },
            {
              id: 'a2',
              fileName: 'x.jpg',
              contentType: 'image/jpeg',
              size: 0,
              url: '/api/v1/attachments/a2',
              state: 'failed',
              error: 'media on attacker.invalid is not Twilio’s',
            },
          ],
        })}
        channel="voice"
        contactName="Ali"
        now={NOW}
      />,
    );
    expect(html).toMatch(/<audio[^>]*controls[^>]*src="\/api\/v1\/attachments\/a1"/);
    expect(html).toContain('x.jpg was not kept: media on attacker.invalid');
    expect(html).not.toContain('/api/v1/attachments/a2');
  });
});
