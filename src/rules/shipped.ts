import type { RuleDefinition } from './engine';

/**
 * The complaint ladder as shipped rules (PRODUCT.md): the company moves a complaint up before
 * the customer does. Created once at first start, then the admins' to edit or turn off.
 */
export const LEGAL_KEYWORDS = [
  // Persian: consumer protection, the court, lawyers, legal complaint, police, the press.
  'تعزیرات',
  'حمایت از حقوق مصرف‌کننده',
  'حمایت از حقوق مصرف‌کنندگان',
  'سازمان حمایت',
  'دادگاه',
  'دادسرا',
  'دادستان',
  'وکیل',
  'شکایت قانونی',
  'شکایت کیفری',
  'پلیس',
  'مطبوعات',
  'خبرنگار',
  'رسانه',
  // Russian: the consumer watchdog, court, lawyer, prosecutor, police, lawsuit, the press.
  'Роспотребнадзор',
  'защита прав потребителей',
  'суд',
  'судиться',
  'иск',
  'адвокат',
  'юрист',
  'прокуратура',
  'полиция',
  'журналист',
  'СМИ',
  // English
  'regulator',
  'ombudsman',
  'consumer protection',
  'trading standards',
  'court',
  'sue',
  'lawsuit',
  'legal action',
  'lawyer',
  'attorney',
  'solicitor',
  'police',
  'the press',
  'journalist',
];

export const SHIPPED_RULES: (RuleDefinition & { key: string })[] = [
  {
    key: 'ladder.legal',
    name: 'A mention of a regulator, court, lawyer, police or the press: level 4, legal flag',
    event: 'message.created',
    conditions: {
      all: [
        { field: 'message.direction', op: 'eq', value: 'in' },
        { field: 'message.text', op: 'containsAny', value: LEGAL_KEYWORDS },
      ],
    },
    actions: [
      { type: 'openComplaint', category: 'legal' },
      { type: 'escalate', level: 4, reason: 'the customer mentions legal steps' },
      { type: 'flagLegal' },
      { type: 'notifySupervisors', message: 'Legal risk: the customer mentions legal steps' },
    ],
    enabled: true,
    options: {},
    position: 10,
  },
  {
    key: 'ladder.high-value',
    name: 'A high-value customer’s complaint starts at level 2',
    event: 'complaint.created',
    conditions: {
      all: [{ field: 'complaint.level', op: 'lt', value: 2 }],
      any: [
        { field: 'contact.tier', op: 'in', value: ['platinum', 'gold'] },
        { field: 'contact.lifetimeValue', op: 'gte', value: 1000 },
      ],
    },
    actions: [{ type: 'escalate', level: 2, reason: 'a high-value customer' }],
    enabled: true,
    options: {},
    position: 20,
  },
  {
    key: 'ladder.sla-1',
    name: 'Level-1 SLA missed: to the supervisor (level 2)',
    event: 'sla.breached',
    conditions: { all: [{ field: 'complaint.level', op: 'eq', value: 1 }] },
    actions: [{ type: 'escalate', level: 2, reason: 'the level-1 SLA was missed' }],
    enabled: true,
    options: {},
    position: 30,
  },
  {
    key: 'ladder.sla-2',
    name: 'Level-2 SLA missed: to head office (level 3)',
    event: 'sla.breached',
    conditions: { all: [{ field: 'complaint.level', op: 'eq', value: 2 }] },
    actions: [{ type: 'escalate', level: 3, reason: 'the level-2 SLA was missed' }],
    enabled: true,
    options: {},
    position: 40,
  },
  {
    key: 'ladder.reopened',
    name: 'Not resolved, or reopened: one level up',
    event: 'complaint.reopened',
    conditions: { all: [{ field: 'complaint.level', op: 'lt', value: 4 }] },
    actions: [{ type: 'escalate', reason: 'the customer says it is not resolved' }],
    enabled: true,
    options: {},
    position: 50,
  },
  {
    key: 'ladder.repeat',
    name: 'The customer comes back about the same complaint within 7 days: one level up',
    event: 'message.created',
    conditions: {
      all: [
        { field: 'message.direction', op: 'eq', value: 'in' },
        { field: 'complaint.repeatContact', op: 'eq', value: true },
        { field: 'complaint.level', op: 'lt', value: 4 },
      ],
    },
    actions: [{ type: 'escalate', reason: 'the customer contacted us again about it' }],
    enabled: true,
    options: { cooldownHours: 24 },
    position: 60,
  },
];
