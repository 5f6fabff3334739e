import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows';
import { sql } from 'drizzle-orm';
import { simulateOrders } from '../../src/clv/simulate';
import {
  createAgent,
  login,
  newVisitorWrites,
  request,
  startTestServer,
  type Api,
  type TestServer,
} from '../helpers/server';

interface OrderResult {
  created: number;
  updated: number;
  unchanged: number;
  contactsCreated: number;
  errors: { index: number; code: string; message: string }[];
}
interface Contact {
  id: string;
  name: string;
  tier: string | null;
  lifetimeValue: string | null;
  customAttributes: Record<string, unknown>;
  notes: string;
  identities: { kind: string; value: string }[];
  clv: {
    asOf: string;
    probabilityAlive: number;
    expectedPurchases: number;
    horizonDays: number;
    predictedValue: string;
    segment: string;
  } | null;
}
interface Conversation {
  id: string;
  inboxId: string;
  contact: { id: string };
}

let app: TestServer;
let admin: Api;

beforeAll(async () => {
  app = await startTestServer();
  admin = await login(app.url);
});
afterAll(async () => {
  await app?.stop();
});

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(app.server.database.db, query);

async function contactOf(conversationId: string): Promise<Contact> {
  const conv = await admin.get<Conversation>(`/api/v1/conversations/${conversationId}`);
  return (await admin.get<Contact>(`/api/v1/contacts/${conv.body.contact.id}`)).body;
}

describe('POST /api/v1/orders', () => {
  it('creates orders and their unknown customers, is idempotent by externalId, and sums lifetime value', async () => {
    const batch = {
      orders: [
        {
          externalId: 'A-1',
          identity: { kind: 'email', value: 'Sara@Example.com' },
          amount: 120.5,
          currency: 'EUR',
          placedAt: '2025-03-01T10:00:00Z',
        },
        {
          externalId: 'A-2',
          identity: { kind: 'email', value: 'sara@example.com' },
          amount: '1,000.25',
          currency: 'eur',
          placedAt: '2025-03-05',
        },
        {
          externalId: 'A-3',
          identity: { kind: 'phone', value: '+98 912 123 ۴۵۶۷' },
          amount: -20,
          placedAt: '05.03.2025',
        },
      ],
    };
    const first = await admin.send<OrderResult>('POST', '/api/v1/orders', batch);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 3, updated: 0, contactsCreated: 2, errors: [] });

    const again = await admin.send<OrderResult>('POST', '/api/v1/orders', batch);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3, contactsCreated: 0 });

    const changed = await admin.send<OrderResult>('POST', '/api/v1/orders', {
      orders: [{ ...batch.orders[0], amount: 100 }],
    });
    expect(changed.body).toMatchObject({ created: 0, updated: 1 });

    const [sara] = await rows<{ contact_id: string }>(
      sql`select contact_id from contact_identities where kind = 'email' and value = 'sara@example.com'`,
    );
    const contact = (await admin.get<Contact>(`/api/v1/contacts/${sara!.contact_id}`)).body;
    expect(contact.lifetimeValue).toBe('1100.25');
    expect(contact.clv).toBeNull();
    const list = await admin.get<{
      items: { externalId: string; amount: string }[];
      total: string;
    }>(`/api/v1/contacts/${sara!.contact_id}/orders`);
    expect(list.body.items.map((o) => o.externalId)).toEqual(['A-2', 'A-1']);
    expect(list.body.total).toBe('1100.25');

    const [refund] = await rows<{ lifetime_value: string; value: string }>(
      sql`select c.lifetime_value::text, ci.value from contacts c join contact_identities ci on ci.contact_id = c.id where ci.kind = 'phone' and ci.value = '+989121234567'`,
    );
    expect(Number(refund!.lifetime_value)).toBe(-20);
  });

  it('reports bad rows by index and writes the good ones', async () => {
    const res = await admin.send<OrderResult>('POST', '/api/v1/orders', {
      orders: [
        {
          externalId: 'B-1',
          identity: { kind: 'email', value: 'bad-rows@example.com' },
          amount: 10,
          currency: 'XYZ',
          placedAt: '2025-01-01',
        },
        {
          externalId: 'B-2',
          identity: { kind: 'email', value: 'bad-rows@example.com' },
          amount: 'ten',
          placedAt: '2025-01-01',
        },
        {
          externalId: 'B-3',
          identity: { kind: 'email', value: 'bad-rows@example.com' },
          amount: 10,
          placedAt: '2025-02-30',
        },
        {
          externalId: 'B-4',
          contactId: '00000000-0000-4000-8000-000000000000',
          amount: 10,
          placedAt: '2025-01-01',
        },
        {
          externalId: 'B-5',
          identity: { kind: 'email', value: 'bad-rows@example.com' },
          amount: 10,
          placedAt: '2025-01-01',
        },
        {
          externalId: 'B-5',
          identity: { kind: 'email', value: 'bad-rows@example.com' },
          amount: 11,
          placedAt: '2025-01-02',
        },
        { amount: 3, placedAt: '2025-01-01' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.errors.map((e) => [e.index, e.code])).toEqual([
      [0, 'unknown_currency'],
      [1, 'invalid_amount'],
      [2, 'invalid_date'],
      [3, 'unknown_contact'],
      [5, 'duplicate_external_id'],
      [6, 'invalid_external_id'],
    ]);
  });

  it('refuses more than 10,000 orders, an empty list, and agents', async () => {
    const many = Array.from({ length: 10_001 }, (_, i) => ({
      externalId: `X${i}`,
      amount: 1,
      placedAt: '2025-01-01',
    }));
    const tooMany = await app.server.database.db.execute(sql`select 1`).then(() =>
      fetch(`${app.url}/api/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ orders: many }),
      }),
    );
    expect([400, 413]).toContain(tooMany.status);
    expect((await admin.send('POST', '/api/v1/orders', { orders: [] })).status).toBe(400);
    const agent = await createAgent(app.url, admin, 'Orders', []);
    const refused = await agent.send<{ error: { code: string } }>('POST', '/api/v1/orders', {
      orders: [
        {
          externalId: 'C-1',
          identity: { kind: 'email', value: 'c@example.com' },
          amount: 1,
          placedAt: '2025-01-01',
        },
      ],
    });
    expect(refused.status).toBe(403);
  });
});

describe('CSV import of orders', () => {
  const upload = (csv: string, query: string) =>
    request<OrderResult & { rows: number; error?: { code: string; message: string } }>(
      app.url,
      'POST',
      `/api/v1/orders/import?${query}`,
      { token: admin.token, raw: csv, headers: { 'content-type': 'text/csv' } },
    );
  const mapping = 'externalId=Order&email=E-mail&amount=Total&placedAt=Date&currency=Currency';
  // BOM, ';', Persian digits, a thousands separator, three date formats, a Jalali date.
  const good =
    '\ufeffOrder;E-mail;Total;Date;Currency\r\n' +
    'CSV-1;csv-buyer@example.com;"1.234,50";2025-04-01;EUR\r\n' +
    'CSV-2;csv-buyer@example.com;۱۲۰;02.04.2025;EUR\r\n' +
    'CSV-3;csv-buyer@example.com;-34,50;03/04/2025 10:30;EUR\r\n' +
    'CSV-4;csv-other@example.com;10;۱۴۰۴/۰۱/۱۵;\r\n';

  it('dry-runs with per-row errors and imports nothing while any row is bad', async () => {
    const bad =
      good +
      'CSV-5;csv-other@example.com;12;2025-04-01;ZZZ\r\nCSV-1;csv-other@example.com;1;2025-04-01;EUR\r\n';
    const dry = await upload(bad, `${mapping}&dryRun=true`);
    expect(dry.status).toBe(200);
    expect(dry.body.rows).toBe(6);
    expect(dry.body.errors.map((e) => [e.index, e.code])).toEqual([
      [4, 'unknown_currency'],
      [5, 'duplicate_external_id'],
    ]);
    const refused = await upload(bad, mapping);
    expect(refused.status).toBe(422);
    expect(refused.body.error?.code).toBe('invalid_rows');
    const written = await rows<{ n: number }>(
      sql`select count(*)::int as n from orders where external_id like 'CSV-%'`,
    );
    expect(written[0]!.n).toBe(0);
  });

  it('imports a good file, idempotently, with the amounts and days it says', async () => {
    const first = await upload(good, mapping);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ rows: 4, created: 4, contactsCreated: 2, errors: [] });
    const again = await upload(good, mapping);
    expect(again.body).toMatchObject({ created: 0, unchanged: 4 });
    const stored = await rows<{
      external_id: string;
      amount: string;
      currency: string;
      day: string;
    }>(
      sql`select external_id, amount::text, currency, to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as day from orders where external_id like 'CSV-%' order by external_id`,
    );
    expect(stored).toEqual([
      { external_id: 'CSV-1', amount: '1234.50', currency: 'EUR', day: '2025-04-01 00:00' },
      { external_id: 'CSV-2', amount: '120.00', currency: 'EUR', day: '2025-04-02 00:00' },
      { external_id: 'CSV-3', amount: '-34.50', currency: 'EUR', day: '2025-04-03 10:30' },
      { external_id: 'CSV-4', amount: '10.00', currency: 'USD', day: '2025-04-04 00:00' },
    ]);
  });

  it('names what is wrong with a file that is not a usable CSV', async () => {
    expect((await upload('', mapping)).body.error?.code).toBe('invalid_csv');
    expect((await upload('Order;E-mail;Total;Date;Currency\n', mapping)).body.error?.code).toBe(
      'invalid_csv',
    );
    const missing = await upload('Id;Mail;Total;Date\n1;a@b.cd;1;2025-01-01\n', mapping);
    expect(missing.status).toBe(400);
    expect(missing.body.error?.message).toMatch(/no column "Order"/);
    const rubbish = await upload('\u0000\u0001"garbage\n\u00ff', mapping);
    expect(rubbish.status).toBe(400);
  });
});

describe('POST /api/v1/analytics/clv/fit', () => {
  it('refuses too few customers and keeps no nonsense', async () => {
    const res = await admin.send<{ error: { code: string } }>('POST', '/api/v1/analytics/clv/fit', {
      asOf: '2025-06-30',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('too_few_customers');
    expect((await admin.get<{ fit: unknown }>('/api/v1/analytics/clv')).body.fit).toBeNull();
  });

  it('fits simulated customers, stores each contact’s clv and tier, and a later too-small fit keeps it', async () => {
    const simulated = simulateOrders({
      customers: 400,
      bgNbd: { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
      gammaGamma: { p: 6, q: 4, gamma: 15 },
      start: '2024-01-01',
      cohortDays: 60,
      asOf: '2024-12-31',
      seed: 5,
    });
    const orders = simulated.map((o, i) => ({
      externalId: `S-${i}`,
      identity: { kind: 'email', value: `${o.contactId}@sim.example.com` },
      amount: o.amount,
      placedAt: o.orderedAt.toISOString(),
    }));
    const written = await admin.send<OrderResult>('POST', '/api/v1/orders', { orders });
    expect(written.body.errors).toEqual([]);
    const fit = await admin.send<{
      asOf: string;
      timeUnitDays: number;
      customers: number;
      params: Record<string, number>;
    }>('POST', '/api/v1/analytics/clv/fit', { asOf: '2024-12-31' });
    expect(fit.status).toBe(200);
    expect(fit.body.asOf).toBe('2024-12-31');
    expect(fit.body.timeUnitDays).toBe(1);
    expect(fit.body.customers).toBe(400);
    expect(fit.body.params.r).toBeGreaterThan(0.2);
    expect(fit.body.params.r).toBeLessThan(1);

    const [c0] = await rows<{ contact_id: string }>(
      sql`select contact_id from contact_identities where value = 'c0@sim.example.com'`,
    );
    const contact = (await admin.get<Contact>(`/api/v1/contacts/${c0!.contact_id}`)).body;
    expect(contact.clv).toMatchObject({ asOf: '2024-12-31', horizonDays: 365 });
    expect(contact.clv!.probabilityAlive).toBeGreaterThan(0);
    expect(contact.clv!.probabilityAlive).toBeLessThanOrEqual(1);
    expect(['gold', 'silver', 'bronze']).toContain(contact.tier);

    // Churn risk: the valuable customers showing a sign of leaving, each saying why.
    const risk = await admin.get<{
      items: {
        contactId: string;
        predictedValue: string;
        probabilityAlive: number;
        daysSinceLast: number;
        usualGapDays: number | null;
        reasons: string[];
        conversationId: string | null;
      }[];
    }>('/api/v1/analytics/churn-risk?limit=500');
    expect(risk.status).toBe(200);
    const values = await rows<{
      contact_id: string;
      probability_alive: number;
      days_since_last: number;
      frequency: number;
      recency_days: number;
    }>(
      sql`select contact_id, probability_alive, days_since_last, frequency, recency_days from contact_values`,
    );
    const expectedReasons = new Map<string, string[]>();
    for (const v of values) {
      const reasons: string[] = [];
      if (v.probability_alive < 0.5) reasons.push('low_probability_alive');
      if (v.frequency > 0 && v.days_since_last > 2 * Math.max(v.recency_days / v.frequency, 1))
        reasons.push('gone_quiet');
      if (reasons.length) expectedReasons.set(v.contact_id, reasons);
    }
    expect(risk.body.items.length).toBe(expectedReasons.size);
    expect(expectedReasons.size).toBeGreaterThan(0);
    for (const row of risk.body.items)
      expect(row.reasons).toEqual(expectedReasons.get(row.contactId));
    const predicted = risk.body.items.map((r) => Number(r.predictedValue));
    expect(predicted).toEqual([...predicted].sort((x, y) => y - x));

    // Moving the thresholds re-tiers at once: everyone with a prediction is gold at 0.
    const settings = await admin.send('PUT', '/api/v1/crm/settings', {
      currency: 'USD',
      horizonDays: 365,
      tiers: { gold: 0, silver: 0 },
    });
    expect(settings.status).toBe(200);
    expect((await admin.get<Contact>(`/api/v1/contacts/${c0!.contact_id}`)).body.tier).toBe('gold');

    const tooEarly = await admin.send<{ error: { code: string } }>(
      'POST',
      '/api/v1/analytics/clv/fit',
      { asOf: '2024-01-02' },
    );
    expect(tooEarly.status).toBe(422);
    const kept = (await admin.get<Contact>(`/api/v1/contacts/${c0!.contact_id}`)).body;
    expect(kept.clv?.asOf).toBe('2024-12-31');
  });
});

describe('merging contacts', () => {
  it('moves identities, conversations, orders, attributes and notes, audited, and undo puts them back', async () => {
    const convA = await newVisitorWrites(app.url, 'hello from the phone');
    const convB = await newVisitorWrites(app.url, 'hello from the laptop');
    const a = await contactOf(convA);
    const b = await contactOf(convB);
    await admin.send('PATCH', `/api/v1/contacts/${a.id}`, {
      notes: 'prefers mornings',
      customAttributes: { city: 'Tabriz' },
    });
    await admin.send('PATCH', `/api/v1/contacts/${b.id}`, {
      notes: 'asked about invoices',
      customAttributes: { city: 'Tehran', plan: 'pro' },
    });
    await admin.send('POST', '/api/v1/orders', {
      orders: [
        { externalId: 'M-1', contactId: a.id, amount: 10, placedAt: '2025-01-01' },
        { externalId: 'M-2', contactId: b.id, amount: 32.5, placedAt: '2025-01-02' },
      ],
    });

    const merged = await admin.send<Contact>('POST', `/api/v1/contacts/${a.id}/merge`, {
      contactId: b.id,
    });
    expect(merged.status).toBe(200);
    expect(merged.body.identities).toHaveLength(a.identities.length + b.identities.length);
    expect(merged.body.lifetimeValue).toBe('42.50');
    expect(merged.body.customAttributes).toEqual({ city: 'Tabriz', plan: 'pro' });
    expect(merged.body.notes).toBe('prefers mornings\n\nasked about invoices');
    expect((await contactOf(convB)).id).toBe(a.id);
    const convs = await admin.get<{ items: { id: string }[] }>(
      `/api/v1/contacts/${a.id}/conversations`,
    );
    expect(convs.body.items.map((c) => c.id).sort()).toEqual([convA, convB].sort());
    const audited = await rows<{ action: string }>(
      sql`select action from audit_log where entity = 'contact' and entity_id in (${a.id}::uuid, ${b.id}::uuid) and action like 'merge%'`,
    );
    expect(audited.map((r) => r.action).sort()).toEqual(['merge', 'merged-into']);
    expect(
      (await admin.send('POST', `/api/v1/contacts/${a.id}/merge`, { contactId: b.id })).status,
    ).toBe(409);
    expect(
      (await admin.send('POST', `/api/v1/contacts/${a.id}/merge`, { contactId: a.id })).status,
    ).toBe(400);

    const merges = await admin.get<{ items: { id: string }[] }>(`/api/v1/contacts/${a.id}/merges`);
    const undone = await admin.send<Contact>(
      'POST',
      `/api/v1/contacts/${a.id}/merges/${merges.body.items[0]!.id}/undo`,
    );
    expect(undone.status).toBe(200);
    expect(undone.body.identities).toEqual(a.identities);
    expect(undone.body.lifetimeValue).toBe('10.00');
    expect(undone.body.customAttributes).toEqual({ city: 'Tabriz' });
    expect(undone.body.notes).toBe('prefers mornings');
    expect((await contactOf(convB)).id).toBe(b.id);
    const back = (await admin.get<Contact>(`/api/v1/contacts/${b.id}`)).body;
    expect(back.lifetimeValue).toBe('32.50');
    expect(back.identities).toEqual(b.identities);
    // Undone once: a second undo finds nothing to undo.
    expect(
      (await admin.send('POST', `/api/v1/contacts/${a.id}/merges/${merges.body.items[0]!.id}/undo`))
        .status,
    ).toBe(404);
  });
});

describe('GET /api/v1/reports/summary', () => {
  it('gives the numbers computed independently from a fixed data set', async () => {
    // Six conversations in a fixed window with known times; two outside it.
    const base = Date.parse('2030-05-06T00:00:00Z');
    const H = 3600_000;
    const plan = [
      { created: 9 * H, reply: 9 * H + 60_000, resolved: 10 * H, csat: 5, breached: false },
      { created: 10 * H, reply: 10 * H + 300_000, resolved: 14 * H, csat: 4, breached: false },
      { created: 10 * H, reply: 11 * H, resolved: null, csat: null, breached: true },
      {
        created: 13 * H,
        reply: 13 * H + 120_000,
        resolved: 13 * H + 1800_000,
        csat: 2,
        breached: false,
      },
      { created: 23 * H, reply: null, resolved: null, csat: null, breached: false },
      { created: 30 * H, reply: 30 * H + 600_000, resolved: 31 * H, csat: 5, breached: true },
      { created: -5 * H, reply: -4 * H, resolved: null, csat: 1, breached: false },
      { created: 60 * H, reply: null, resolved: null, csat: null, breached: false },
    ];
    const ids: string[] = [];
    for (const [i] of plan.entries()) ids.push(await newVisitorWrites(app.url, `report ${i}`));
    const [policy] = await rows<{ id: string }>(
      sql`insert into sla_policies (name) values ('report test') returning id`,
    );
    for (const [i, p] of plan.entries()) {
      const at = (ms: number | null) => (ms === null ? null : new Date(base + ms).toISOString());
      await app.server.database.db.execute(sql`
        update conversations set created_at = ${at(p.created)}::timestamptz,
          first_reply_at = ${at(p.reply)}::timestamptz, resolved_at = ${at(p.resolved)}::timestamptz,
          status = ${p.resolved === null ? 'open' : 'resolved'}, csat = ${p.csat},
          sla_policy_id = ${policy!.id}::uuid, sla_state = ${p.breached ? 'breached' : 'ok'}
        where id = ${ids[i]!}::uuid`);
      await app.server.database.db.execute(
        sql`update messages set created_at = ${at(p.created)}::timestamptz where conversation_id = ${ids[i]!}::uuid`,
      );
    }
    const from = new Date(base).toISOString();
    const to = new Date(base + 48 * H).toISOString();
    const res = await admin.get<{
      conversations: {
        total: number;
        byChannel: { channel: string; conversations: number; messagesIn: number }[];
        byHour: { hour: number; messagesIn: number }[];
      };
      firstResponse: { count: number; median: number; p90: number };
      resolution: { count: number; median: number; p90: number };
      sla: { withPolicy: number; breached: number; compliance: number };
      csat: { count: number; average: number };
    }>(`/api/v1/reports/summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);

    const inside = plan.filter((p) => p.created >= 0 && p.created < 48 * H);
    const quantile = (values: number[], q: number) => {
      const s = [...values].sort((x, y) => x - y);
      const pos = (s.length - 1) * q;
      const lo = Math.floor(pos);
      return s[lo]! + (s[Math.ceil(pos)]! - s[lo]!) * (pos - lo);
    };
    const replies = inside.flatMap((p) => (p.reply === null ? [] : [(p.reply - p.created) / 1000]));
    const resolutions = inside.flatMap((p) =>
      p.resolved === null ? [] : [(p.resolved - p.created) / 1000],
    );
    const scores = inside.flatMap((p) => (p.csat === null ? [] : [p.csat]));

    // Other tests made web-chat conversations "now"; this window is in 2030, so only ours count.
    expect(res.body.conversations.total).toBe(inside.length);
    expect(res.body.conversations.byChannel).toEqual([
      {
        channel: 'webchat',
        conversations: inside.length,
        messagesIn: inside.length,
        messagesOut: 0,
      },
    ]);
    const hours = new Map<number, number>();
    for (const p of inside)
      hours.set(
        new Date(base + p.created).getUTCHours(),
        (hours.get(new Date(base + p.created).getUTCHours()) ?? 0) + 1,
      );
    expect(res.body.conversations.byHour).toEqual(
      [...hours.entries()]
        .sort((x, y) => x[0] - y[0])
        .map(([hour, n]) => ({ hour, messagesIn: n })),
    );
    expect(res.body.firstResponse).toEqual({
      count: replies.length,
      median: quantile(replies, 0.5),
      p90: quantile(replies, 0.9),
    });
    expect(res.body.resolution).toEqual({
      count: resolutions.length,
      median: quantile(resolutions, 0.5),
      p90: quantile(resolutions, 0.9),
    });
    const breached = inside.filter((p) => p.breached).length;
    expect(res.body.sla).toEqual({
      withPolicy: inside.length,
      breached,
      compliance: (inside.length - breached) / inside.length,
    });
    expect(res.body.csat.count).toBe(scores.length);
    expect(res.body.csat.average).toBeCloseTo(
      scores.reduce((s, x) => s + x, 0) / scores.length,
      10,
    );

    // In business hours (Monday–Friday 09:00–17:00 UTC; 2030-05-06 is a Monday), by hand:
    // replies 60, 300, 3600, 120 s and 0 (Tuesday 06:00→06:10); resolutions 3600, 14400, 1800, 0.
    const office = await admin.send<{ id: string }>('POST', '/api/v1/business-hours', {
      name: 'Report office',
      timeZone: 'UTC',
      weekly: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
    });
    expect(office.status).toBe(201);
    const business = await admin.get<{
      firstResponse: { count: number; median: number; p90: number };
      resolution: { count: number; median: number; p90: number };
    }>(
      `/api/v1/reports/summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&businessHoursId=${office.body.id}`,
    );
    expect(business.body.firstResponse).toEqual({
      count: 5,
      median: 120,
      p90: quantile([0, 60, 120, 300, 3600], 0.9),
    });
    expect(business.body.resolution).toEqual({
      count: 4,
      median: 2700,
      p90: quantile([0, 1800, 3600, 14400], 0.9),
    });

    const bad = await admin.get<{ error: { code: string } }>(
      `/api/v1/reports/summary?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`,
    );
    expect(bad.status).toBe(400);
  });
});
