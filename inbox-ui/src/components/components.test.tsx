import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Locale } from '../api/types';
import { I18nProvider } from '../i18n/I18nContext';
import { conversation, message } from '../lib/fixtures';
import { initialListState } from '../lib/listState';
import { Composer } from './Composer';
import { ContactSidebar } from './ContactSidebar';
import { ConversationList } from './ConversationList';
import { ConversationRow } from './ConversationRow';
import { ListPane } from './ListPane';
import { Login } from './Login';
import { MessageBubble, bubbleClass } from './MessageBubble';
import { NavSidebar } from './NavSidebar';
import { ShortcutHelp } from './ShortcutHelp';

const NOW = Date.parse('2024-03-20T12:00:00Z');
const noop = () => {};

function render(node: React.ReactNode, locale: Locale = 'en'): string {
  return renderToString(<I18nProvider locale={locale}>{node}</I18nProvider>);
}

const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

describe('MessageBubble', () => {
  it('shows customer text as text: markup is escaped, never parsed', () => {
    const html = render(
      <MessageBubble
        message={message('m1', 'c1', { text: XSS })}
        channel="webchat"
        contactName="Eve"
        now={NOW}
      />,
    );
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;&lt;script&gt;');
  });

  it('lets each message choose its own direction', () => {
    const html = render(
      <MessageBubble
        message={message('m1', 'c1', { text: 'سلام، سفارش من کجاست؟' })}
        channel="sms"
        contactName="Ali"
        now={NOW}
      />,
    );
    expect(html).toMatch(/<p class="msg__text" dir="auto">سلام، سفارش من کجاست؟<\/p>/);
  });

  it('marks private notes visibly and for tests', () => {
    const note = message('m2', 'c1', {
      private: true,
      direction: 'out',
      senderType: 'user',
      sender: { id: 'u', name: 'Maya' },
      status: 'sent',
    });
    const html = render(
      <MessageBubble message={note} channel="webchat" contactName="Eve" now={NOW} />,
    );
    expect(html).toContain('msg--private');
    expect(html).toContain('data-private="true"');
    expect(html).toContain('Private note');
    // No delivery status for a note: it is never sent to the customer.
    expect(html).not.toContain('msg__status');
    expect(bubbleClass(note)).toBe('msg msg--out msg--private');
  });

  it('shows delivery status, with the reason when it failed', () => {
    const failed = message('m3', 'c1', {
      direction: 'out',
      senderType: 'user',
      status: 'failed',
      failureReason: 'Number unreachable',
    });
    const html = render(
      <MessageBubble message={failed} channel="sms" contactName="Eve" now={NOW} />,
    );
    expect(html).toContain('data-status="failed"');
    expect(html).toContain('Not delivered: Number unreachable');
    const delivered = render(
      <MessageBubble
        message={message('m4', 'c1', { direction: 'out', senderType: 'user', status: 'delivered' })}
        channel="sms"
        contactName="Eve"
        now={NOW}
      />,
    );
    expect(delivered).toContain('Delivered');
  });

  it('lists attachments as links, file names as text', () => {
    const m = message('m5', 'c1', {
      attachments: [
        {
          id: 'a1',
          fileName: '<b>invoice</b>.pdf',
          contentType: 'application/pdf',
          size: 2048,
          url: '/api/v1/attachments/a1',
          state: 'stored',
          error: null,
        },
        {
          id: 'a2',
          fileName: 'photo.jpg',
          contentType: 'image/jpeg',
          size: 10,
          url: '/api/v1/attachments/a2',
          state: 'stored',
          error: null,
        },
      ],
    });
    const html = render(
      <MessageBubble message={m} channel="telegram" contactName="Eve" now={NOW} />,
    );
    expect(html).toContain('href="/api/v1/attachments/a1"');
    expect(html).toContain('&lt;b&gt;invoice&lt;/b&gt;.pdf');
    expect(html).toContain('<img src="/api/v1/attachments/a2"');
  });

  it('renders email HTML only inside a sandboxed iframe', () => {
    const m = message('m6', 'c1', { html: '<p onclick="x()">Hello</p><script>bad()</script>' });
    const html = render(<MessageBubble message={m} channel="email" contactName="Eve" now={NOW} />);
    expect(html).toContain('sandbox=""');
    expect(html).not.toContain('<script>bad()');
    expect(html).not.toContain('onclick');
  });

  it('writes times in Persian digits in the Persian interface', () => {
    const html = render(
      <MessageBubble
        message={message('m7', 'c1', { createdAt: '2024-03-20T11:00:00Z' })}
        channel="webchat"
        contactName="Eve"
        now={NOW}
      />,
      'fa',
    );
    const time = html.match(/<time[^>]*>([^<]*)<\/time>/)?.[1] ?? '';
    expect(time).toMatch(/[۰-۹]/);
    expect(time).not.toMatch(/[0-9]/);
  });
});

describe('customer text with a right-to-left override (U+202E)', () => {
  const evil = 'Eve\u202Egnp.exe';
  it('stays inside its own isolated element in the list, the thread and the sidebar', () => {
    const row = render(
      <ConversationRow
        conversation={conversation('c9', {
          contact: { id: 'k9', name: evil },
          lastMessagePreview: evil,
        })}
        selected={false}
        index={0}
        setSize={1}
        now={NOW}
        onSelect={noop}
      />,
    );
    expect(row).toContain(`<span class="row__name" dir="auto">${evil}</span>`);
    expect(row).toContain(`<div class="row__preview" dir="auto">${evil}</div>`);
    const bubble = render(
      <MessageBubble
        message={message('m9', 'c9', { text: evil })}
        channel="sms"
        contactName={evil}
        now={NOW}
      />,
    );
    expect(bubble).toContain(`<span class="msg__sender" dir="auto">${evil}</span>`);
    expect(bubble).toContain(`<p class="msg__text" dir="auto">${evil}</p>`);
  });
});

describe('ConversationRow', () => {
  const c = conversation('c1', {
    contact: { id: 'k1', name: '<b>Bob</b>' },
    lastMessagePreview: '<script>x</script> где заказ?',
    unreadCount: 3,
    level: 2,
    priority: 'urgent',
    assignee: { id: 'u1', name: 'Maya' },
    waitingSince: new Date(NOW - 20 * 60_000).toISOString(),
  });
  const html = render(
    <ConversationRow conversation={c} selected index={0} setSize={1} now={NOW} onSelect={noop} />,
  );

  it('has the test id, the id and option semantics', () => {
    expect(html).toContain('data-testid="conversation-row"');
    expect(html).toContain('data-id="c1"');
    expect(html).toContain('role="option"');
    expect(html).toContain('aria-selected="true"');
  });

  it('shows contact, preview, unread, assignee, level and waiting time, escaped', () => {
    expect(html).toContain('&lt;b&gt;Bob&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt; где заказ?');
    expect(html).toContain('badge--unread');
    expect(html).toContain('Maya');
    expect(html).toContain('L2');
    expect(html).toContain('row__waiting--warm');
    expect(html).toContain('20m');
    expect(html).toContain('Urgent');
  });
});

describe('ConversationList', () => {
  it('renders only the visible rows of 10,000', () => {
    const items = Array.from({ length: 10_000 }, (_, i) => conversation(`c${i}`));
    const html = render(
      <ConversationList
        items={items}
        selectedId={null}
        hasMore={false}
        loading={false}
        loaded
        error={null}
        emptyText="empty"
        now={NOW}
        onSelect={noop}
        onLoadMore={noop}
        onRetry={noop}
      />,
    );
    const rows = html.match(/data-testid="conversation-row"/g) ?? [];
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(30);
    expect(html).toContain('role="listbox"');
    expect(html).toContain('data-testid="conversation-list"');
    expect(html).toContain('block-size:840000px');
  });

  it('says so when a list is empty', () => {
    const html = render(
      <ConversationList
        items={[]}
        selectedId={null}
        hasMore={false}
        loading={false}
        loaded
        error={null}
        emptyText="Nothing here"
        now={NOW}
        onSelect={noop}
        onLoadMore={noop}
        onRetry={noop}
      />,
    );
    expect(html).toContain('Nothing here');
  });
});

describe('screens', () => {
  const me = {
    id: 'u1',
    email: 'a@b.c',
    name: 'Maya',
    role: 'admin' as const,
    locale: 'en' as const,
    active: true,
    inboxIds: [],
    teamIds: [],
    phone: null,
    onDuty: false,
    capacity: 10,
    available: true,
    online: true,
    createdAt: '',
  };

  it('login form has the stable test ids', () => {
    const html = render(<Login onLocale={noop} onLoggedIn={noop} />);
    for (const id of ['login-email', 'login-password', 'login-submit', 'locale-select'])
      expect(html).toContain(`data-testid="${id}"`);
  });

  it('navigation lists views with counts, teams and a language picker', () => {
    const html = render(
      <NavSidebar
        me={me}
        route={{ screen: 'inbox', filter: { view: 'mine' }, conversationId: null }}
        counts={{ mine: 3, unassigned: 1200, all: 5000, escalated: 2, teams: { t1: 4 } }}
        teams={[{ id: 't1', name: 'Billing', description: '', memberIds: [] }]}
        connected
        available
        onToggleAvailable={noop}
        soundOn
        notificationPermission="default"
        onLocale={noop}
        onToggleSound={noop}
        onEnableNotifications={noop}
        onShowShortcuts={noop}
        onLogout={noop}
      />,
      'ru',
    );
    expect(html).toContain('Мои');
    expect(html).toContain('Эскалации');
    expect(html).toContain('1 200'.replace(' ', '\u00a0'));
    expect(html).toContain('Billing');
    expect(html).toContain('data-testid="locale-select"');
    expect(html).toContain('aria-current="page"');
  });

  it('list pane shows filters and, in the escalated view, levels', () => {
    const html = render(
      <ListPane
        filter={{ view: 'escalated', level: 2 }}
        list={{ ...initialListState, loaded: true, items: [conversation('a', { level: 3 })] }}
        labels={['vip']}
        teams={[]}
        selectedId={null}
        now={NOW}
        onFilter={noop}
        onSelect={noop}
        onLoadMore={noop}
        onRetry={noop}
        onOpenMenu={noop}
      />,
      'fa',
    );
    expect(html).toContain('ارجاع‌شده');
    expect(html).toContain('سطح ۲+');
    expect(html).toContain('aria-pressed="true"');
    expect(html).toContain('role="search"');
  });

  it('composer has reply/note modes and the test ids', () => {
    const html = render(
      <Composer
        conversationId="c1"
        channel="sms"
        contactName="Eve"
        canned={[]}
        templateContext={{}}
        onSend={async () => {}}
        onTyping={noop}
      />,
    );
    for (const id of [
      'composer-input',
      'composer-send',
      'composer-mode-reply',
      'composer-mode-note',
    ])
      expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain('dir="auto"');
    expect(html).toContain('Sent to the customer on SMS');
  });

  it('contact sidebar shows what is known, escaped and localised', () => {
    const html = render(
      <ContactSidebar
        contact={{
          id: 'k1',
          name: 'Ольга <i>',
          language: 'ru',
          preferredChannel: 'telegram',
          birthday: '1990-04-21',
          tier: 'gold',
          lifetimeValue: '15230.50',
          clv: null,
          notes: 'Prefers mornings',
          customAttributes: { plan: 'Pro' },
          identities: [
            { kind: 'telegram', value: '123456', state: 'ok', stateReason: null },
            { kind: 'phone', value: '+79001234567', state: 'ok', stateReason: null },
          ],
          lastSeenAt: null,
          createdAt: '2023-01-01T00:00:00Z',
          updatedAt: '2023-01-01T00:00:00Z',
        }}
        currentConversationId="c1"
        now={NOW}
        onOpenConversation={noop}
        onContactChange={noop}
      />,
      'ru',
    );
    expect(html).toContain('Ольга &lt;i&gt;');
    expect(html).toContain('Русский');
    expect(html).toContain('21 апреля 1990');
    expect(html).toContain('+79001234567');
    expect(html).toContain('Pro');
    expect(html).toContain('Prefers mornings');
    expect(html).toMatch(/15\u00a0230,5/);
  });

  it('contact sidebar shows the customer value and segment in Persian', () => {
    const html = render(
      <ContactSidebar
        contact={{
          id: 'k2',
          name: 'سارا',
          language: 'fa',
          preferredChannel: null,
          birthday: null,
          tier: 'gold',
          lifetimeValue: '1200.00',
          clv: {
            asOf: '2025-03-01',
            probabilityAlive: 0.42,
            expectedPurchases: 2.345,
            horizonDays: 365,
            predictedValue: '830.10',
            segment: 'at_risk',
            rfm: '245',
            historicValue: '1200.00',
            fittedAt: '2025-03-02T02:00:00Z',
          },
          notes: '',
          customAttributes: {},
          identities: [],
          lastSeenAt: null,
          createdAt: '2023-01-01T00:00:00Z',
          updatedAt: '2023-01-01T00:00:00Z',
        }}
        currentConversationId="c1"
        now={NOW}
        onOpenConversation={noop}
        onContactChange={noop}
      />,
      'fa',
    );
    expect(html).toContain('data-testid="contact-clv"');
    expect(html).toContain('در خطر');
    expect(html).toContain('ارزش پیش‌بینی‌شده (۳۶۵ روز)');
    expect(html).toContain('۴۲');
  });

  it('shortcut help is a dialog', () => {
    const html = render(<ShortcutHelp onClose={noop} />);
    expect(html).toContain('role="dialog"');
    expect(html).toContain('aria-modal="true"');
    expect(html).toContain('<kbd>j</kbd>');
  });
});
