import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Inbox, Locale } from '../api/types';
import { I18nProvider } from '../i18n/I18nContext';
import { InboxHealth } from './InboxHealth';

const render = (inbox: Inbox, locale: Locale = 'en') =>
  renderToString(
    <I18nProvider locale={locale}>
      <InboxHealth inbox={inbox} />
    </I18nProvider>,
  );

const failing: Inbox = {
  id: 'i1',
  name: 'Support bot',
  channel: 'telegram',
  enabled: true,
  botEnabled: false,
  settings: { botToken: '••••••••' },
  credentialsSet: ['botToken'],
  health: {
    status: 'failing',
    lastError: 'Wrong response from the webhook: 502 Bad Gateway',
    lastErrorAt: '2026-11-30T06:00:00.000Z',
    detail: { pendingUpdates: 12 },
  },
  webhookUrls: ['https://help.example.com/webhooks/telegram/i1'],
};

describe('InboxHealth', () => {
  it('says plainly that the link is failing, why, and what to paste at the provider', () => {
    const html = render(failing);
    expect(html).toContain('Failing');
    expect(html).toContain('Wrong response from the webhook: 502 Bad Gateway');
    expect(html).toContain('pendingUpdates');
    expect(html).toContain('https://help.example.com/webhooks/telegram/i1');
    expect(html).toContain('Credentials set (hidden): botToken');
    expect(html).toContain('No message received yet');
  });

  it('speaks Persian and Russian, and isolates provider text from the layout around it', () => {
    expect(render(failing, 'fa')).toContain('دچار خطا');
    expect(render({ ...failing, health: { status: 'connected' } }, 'ru')).toContain('Подключено');
    expect(render(failing)).toContain('<bdi>Wrong response');
  });
});
