import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Locale, Message } from '../../api/types';
import { I18nProvider } from '../../i18n/I18nContext';
import { message } from '../../lib/fixtures';
import { emptyEmailDraft } from '../../lib/emailDraft';
import { MessageBubble } from '../MessageBubble';
import { EmailComposerFields } from './EmailComposerFields';

const NOW = Date.parse('2024-03-20T12:00:00Z');

function render(node: React.ReactNode, locale: Locale = 'en'): string {
  return renderToString(<I18nProvider locale={locale}>{node}</I18nProvider>);
}

const reply = (over: Partial<Message> = {}) =>
  message('m1', 'c1', {
    text: 'Thanks Sam, where is it?',
    email: {
      subject: 'Re: Your order #4521',
      from: { address: 'alice@example.org', name: 'Alice Martin' },
      to: [{ address: 'support@example.com', name: 'Acme Support' }],
      cc: [{ address: 'dave@example.org' }],
      fullText: 'Thanks Sam, where is it?\n\n> Hello Alice,\n> Your order left today.',
    },
    ...over,
  });

describe('an e-mail in the thread', () => {
  it('shows subject, From, To and CC, and the new part with the quote behind a toggle', () => {
    const html = render(
      <MessageBubble message={reply()} channel="email" contactName="Alice" now={NOW} />,
    );
    expect(html).toContain('Re: Your order #4521');
    expect(html).toContain('Alice Martin &lt;alice@example.org&gt;');
    expect(html).toContain('Acme Support &lt;support@example.com&gt;');
    expect(html).toContain('dave@example.org');
    expect(html).toContain('Thanks Sam, where is it?');
    expect(html).not.toContain('Your order left today');
    expect(html).toContain('data-testid="email-show-quoted"');
    expect(html).toContain('Show quoted text');
  });

  it('marks auto-replies and bounces, in every language', () => {
    const auto = render(
      <MessageBubble
        message={reply({ autoReply: true })}
        channel="email"
        contactName="A"
        now={NOW}
      />,
      'ru',
    );
    expect(auto).toContain('Автоответ');
    const bounce = render(
      <MessageBubble
        message={reply({
          autoReply: true,
          bounce: { recipient: 'gone@example.org', status: '5.1.1', hard: true },
        })}
        channel="email"
        contactName="A"
        now={NOW}
      />,
      'fa',
    );
    expect(bounce).toContain('gone@example.org');
    expect(bounce).toContain('data-testid="badge-bounce"');
  });

  it('does not list an inline image again below the HTML', () => {
    const html = render(
      <MessageBubble
        message={reply({
          html: '<p>logo: <img src="cid:logo@x"></p>',
          attachments: [
            {
              id: 'f1',
              fileName: 'logo.png',
              contentType: 'image/png',
              size: 10,
              url: '/api/v1/attachments/f1',
              state: 'stored',
              error: null,
              contentId: 'logo@x',
            },
          ],
        })}
        channel="email"
        contactName="A"
        now={NOW}
      />,
    );
    expect(html).not.toContain('/api/v1/attachments/f1');
  });
});

describe('the e-mail composer fields', () => {
  it('offer To, reply-all and a subject defaulting to the thread’s', () => {
    const html = render(
      <EmailComposerFields
        value={emptyEmailDraft}
        onChange={() => undefined}
        defaultTo="Alice Martin"
        defaultSubject="Your order #4521"
      />,
    );
    expect(html).toContain('placeholder="Alice Martin"');
    expect(html).toContain('placeholder="Re: Your order #4521"');
    expect(html).toContain('Reply all');
  });
});
