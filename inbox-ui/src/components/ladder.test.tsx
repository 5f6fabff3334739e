import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { Category, ComplaintWithTimeline } from '../api/ladder';
import type { ConversationWithContact, Locale } from '../api/types';
import { I18nProvider } from '../i18n/I18nContext';
import { conversation } from '../lib/fixtures';
import { ComplaintPanel } from './conversation/ComplaintPanel';
import { ConversationRow } from './ConversationRow';
import { EscalationBoard } from './EscalationBoard';
import { SlaBadge, SlaClocks } from './SlaCountdown';

const NOW = Date.parse('2026-03-20T12:00:00Z');
const inMinutes = (m: number) => new Date(NOW + m * 60_000).toISOString();
const noop = () => {};

function render(node: React.ReactNode, locale: Locale = 'en'): string {
  return renderToString(<I18nProvider locale={locale}>{node}</I18nProvider>);
}

const CATEGORIES: Category[] = [
  {
    id: 'k1',
    key: 'delivery',
    names: { en: 'Delivery', fa: 'ارسال', ru: 'Доставка' },
    active: true,
    position: 0,
  },
];

function withContact(patch: Parameters<typeof conversation>[1]): ConversationWithContact {
  const c = conversation('c1', patch);
  return {
    ...c,
    contact: {
      id: c.contact.id,
      name: 'Sara Ahmadi',
      language: 'fa',
      preferredChannel: null,
      birthday: null,
      tier: 'gold',
      lifetimeValue: null,
      clv: null,
      notes: '',
      customAttributes: {},
      identities: [],
      lastSeenAt: null,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    },
  };
}

const COMPLAINT: ComplaintWithTimeline = {
  id: 'k',
  reference: 'C-26-0193',
  conversationId: 'c1',
  contactId: 'contact-c1',
  category: 'delivery',
  severity: 'high',
  level: 4,
  status: 'open',
  description: 'The parcel never came.',
  desiredOutcome: 'A refund',
  offered: null,
  rootCause: null,
  resolution: null,
  legalFlag: true,
  reopenCount: 0,
  csat: 2,
  createdAt: inMinutes(-120),
  updatedAt: inMinutes(-5),
  resolvedAt: null,
  timeline: [
    {
      fromLevel: 0,
      toLevel: 1,
      reason: 'complaint opened',
      actorType: 'user',
      actor: { id: 'u1', name: 'Maya' },
      rule: null,
      at: inMinutes(-120),
    },
    {
      fromLevel: 1,
      toLevel: 4,
      reason: 'the customer mentions legal steps',
      actorType: 'rule',
      actor: null,
      rule: 'ladder.legal',
      at: inMinutes(-60),
    },
  ],
};

describe('SLA countdown', () => {
  it('is green with time left, amber at the warning, red and overdue after the due time', () => {
    const ok = render(
      <SlaBadge
        conversation={conversation('a', { firstResponseDueAt: inMinutes(90), slaState: 'ok' })}
        now={NOW}
      />,
    );
    expect(ok).toContain('data-tone="ok"');
    expect(ok).toContain('1h 30m left');

    const warning = render(
      <SlaBadge
        conversation={conversation('a', {
          firstResponseDueAt: inMinutes(4),
          slaState: 'warning',
        })}
        now={NOW}
      />,
    );
    expect(warning).toContain('data-tone="warning"');
    expect(warning).toContain('4m 00s left');
    const lastSeconds = render(
      <SlaBadge
        conversation={conversation('a', {
          firstResponseDueAt: new Date(NOW + 45_000).toISOString(),
          slaState: 'warning',
        })}
        now={NOW}
      />,
    );
    expect(lastSeconds).toContain('>45s left<');

    const late = render(
      <SlaBadge
        conversation={conversation('a', { resolutionDueAt: inMinutes(-2), slaState: 'warning' })}
        now={NOW}
      />,
    );
    expect(late).toContain('data-tone="breached"');
    expect(late).toContain('2m 00s overdue');
  });

  it('speaks Persian with Persian digits, and Russian', () => {
    const c = conversation('a', { firstResponseDueAt: inMinutes(125), slaState: 'ok' });
    expect(render(<SlaBadge conversation={c} now={NOW} />, 'fa')).toContain(
      '۲ ساعت ۰۵ دقیقه مانده',
    );
    expect(render(<SlaBadge conversation={c} now={NOW} />, 'ru')).toContain('осталось 2 ч 05 мин');
  });

  it('lists every running clock in the thread', () => {
    const html = render(
      <SlaClocks
        conversation={conversation('a', {
          firstResponseDueAt: inMinutes(10),
          resolutionDueAt: inMinutes(600),
          slaState: 'ok',
        })}
        now={NOW}
      />,
    );
    expect(html).toContain('First response');
    expect(html).toContain('Resolution');
    expect(html).toContain('data-testid="sla-resolution"');
  });

  it('appears in the list row', () => {
    const html = render(
      <ConversationRow
        conversation={conversation('a', {
          firstResponseDueAt: inMinutes(-1),
          slaState: 'breached',
        })}
        selected={false}
        index={0}
        setSize={1}
        now={NOW}
        onSelect={noop}
      />,
    );
    expect(html).toContain('data-testid="sla-countdown"');
    expect(html).toContain('data-tone="breached"');
  });
});

describe('ComplaintPanel', () => {
  const conv = withContact({
    level: 4,
    csat: 2,
    firstResponseDueAt: inMinutes(30),
    slaState: 'ok',
    complaint: {
      id: 'k',
      reference: 'C-26-0193',
      level: 4,
      status: 'open',
      category: 'delivery',
      legalFlag: true,
    },
  });

  it('shows the reference, category, level, legal flag, rating and clocks', () => {
    const html = render(
      <ComplaintPanel
        conv={conv}
        onEscalate={noop}
        onChanged={noop}
        initial={{ complaint: COMPLAINT, categories: CATEGORIES, now: NOW }}
      />,
    );
    expect(html).toContain('C-26-0193');
    expect(html).toContain('Delivery');
    expect(html).toContain('Level 4 · External risk');
    expect(html).toContain('data-testid="complaint-legal"');
    expect(html).toContain('2/5');
    expect(html).toContain('data-testid="sla-clocks"');
  });

  it('names categories in the agent’s language and keeps the reference left-to-right', () => {
    const html = render(
      <ComplaintPanel
        conv={conv}
        onEscalate={noop}
        onChanged={noop}
        initial={{ complaint: COMPLAINT, categories: CATEGORIES, now: NOW }}
      />,
      'fa',
    );
    expect(html).toContain('ارسال');
    expect(html).toMatch(/dir="ltr" data-testid="complaint-reference">C-26-0193/);
    expect(html).toContain('ریسک حقوقی');
  });

  it('offers to open a complaint when there is none', () => {
    const html = render(
      <ComplaintPanel
        conv={withContact({})}
        onEscalate={noop}
        onChanged={noop}
        initial={{ complaint: null, categories: CATEGORIES, now: NOW }}
      />,
    );
    expect(html).toContain('No complaint on this conversation.');
    expect(html).toContain('data-testid="complaint-open"');
  });
});

describe('EscalationBoard', () => {
  it('draws four level columns with cards, ages and SLA states', () => {
    const html = render(
      <EscalationBoard
        conversations={[
          conversation('a', {
            level: 2,
            createdAt: inMinutes(-180),
            firstResponseDueAt: inMinutes(-3),
            slaState: 'breached',
            contact: { id: 'x', name: 'Daniel Kim' },
          }),
          conversation('b', {
            level: 4,
            complaint: {
              id: 'k',
              reference: 'C-26-0001',
              level: 4,
              status: 'open',
              category: null,
              legalFlag: true,
            },
          }),
        ]}
        marks={{}}
        now={NOW}
        fixedNow={NOW}
        loaded
        onOpen={noop}
        onOpenMenu={noop}
      />,
    );
    for (const level of [1, 2, 3, 4]) expect(html).toContain(`data-testid="board-level-${level}"`);
    expect(html).toContain('Daniel Kim');
    expect(html).toContain('3h');
    expect(html).toContain('1 breached');
    expect(html).toContain('C-26-0001');
    expect(html).toContain('board__card--legal');
    expect(html.match(/data-testid="board-card"/g)).toHaveLength(2);
  });
});
