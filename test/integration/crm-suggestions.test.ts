import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows';
import { sql } from 'drizzle-orm';
import {
  createAgent,
  login,
  newVisitorWrites,
  startTestServer,
  webchatInboxId,
  type Api,
  type TestServer,
} from '../helpers/server';

interface Contact {
  id: string;
  name: string;
  tier: string | null;
  identities: { kind: string; value: string }[];
}
interface Suggestion {
  id: string;
  score: number;
  reasons: { kind: string; a: string; b: string; similarity: number }[];
  contacts: [Contact, Contact];
}
interface ConversationRow {
  id: string;
  channel: string;
  status: string;
  inboxId: string;
  assignee: { id: string } | null;
  contact: { id: string; name: string; tier?: string | null; segment?: string | null };
}

let app: TestServer;
let admin: Api;
let inbox1: string;
let inbox2: string;

const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(app.server.database.db, query);

/** A contact with a conversation in the default web-chat inbox, named `name`. */
async function contact(name: string): Promise<{ id: string; conversationId: string }> {
  const conversationId = await newVisitorWrites(app.url, `hello, ${name} here`);
  const [row] = await rows<{ contact_id: string }>(
    sql`select contact_id from conversations where id = ${conversationId}::uuid`,
  );
  await admin.send('PATCH', `/api/v1/contacts/${row!.contact_id}`, { name });
  return { id: row!.contact_id, conversationId };
}

async function identity(contactId: string, kind: string, value: string, verified = false) {
  await rows(sql`insert into contact_identities (contact_id, kind, value, verified)
                 values (${contactId}::uuid, ${kind}::identity_kind, ${value}, ${verified})`);
}

const pairOf = (items: Suggestion[], x: string, y: string) =>
  items.find((s) => {
    const ids = s.contacts.map((c) => c.id);
    return ids.includes(x) && ids.includes(y);
  });

beforeAll(async () => {
  app = await startTestServer();
  admin = await login(app.url);
  inbox1 = await webchatInboxId(admin);
  const created = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
    channel: 'webchat',
    name: 'Second site',
  });
  inbox2 = created.body.id;
});
afterAll(async () => {
  await app?.stop();
});

describe('merge suggestions', () => {
  let a: string, b: string, c: string, d: string, e: string, f: string, g: string, h: string;
  let tg: string, p: string;

  beforeAll(async () => {
    a = (await contact('John Smith')).id;
    b = (await contact('J. Smith')).id;
    await identity(a, 'email', 'john.smith+shop@googlemail.com');
    await identity(b, 'email', 'johnsmith@gmail.com');
    c = (await contact('Parisa Ahmadi')).id;
    d = (await contact('Kamran Jafari')).id;
    await admin.send('PATCH', `/api/v1/contacts/${c}`, {
      customAttributes: { phone: '۰۹۱۲ ۱۲۳ ۴۵۶۷' },
    });
    await identity(d, 'phone', '+989121234567');
    e = (await contact('محمد رضایی')).id;
    f = (await contact('Mohammad Rezaei')).id;
    // f's only conversation moves to the second inbox: an agent of the first cannot see f.
    await rows(
      sql`update conversations set inbox_id = ${inbox2}::uuid where contact_id = ${f}::uuid`,
    );
    await rows(sql`update messages set inbox_id = ${inbox2}::uuid
                    where conversation_id in (select id from conversations where contact_id = ${f}::uuid)`);
    // Alike names, but two verified and different e-mails: two people.
    g = (await contact('Сергей Иванов')).id;
    h = (await contact('Sergei Ivanov')).id;
    await identity(g, 'email', 'sergey@example.com', true);
    await identity(h, 'email', 'sergei.ivanov@example.org', true);
    // A Telegram contact who shared their own phone, which p already has.
    tg = (await contact('Telegram 5001')).id;
    p = (await contact('Olga Petrova')).id;
    await identity(tg, 'telegram', '5001');
    await identity(p, 'phone', '+79161234567');
    const [conv] = await rows<{ id: string }>(
      sql`insert into conversations (inbox_id, contact_id, channel, message_count)
          values (${inbox1}::uuid, ${tg}::uuid, 'telegram', 1) returning id`,
    );
    await rows(sql`insert into messages (conversation_id, inbox_id, direction, sender_type, text, status, meta)
                   values (${conv!.id}::uuid, ${inbox1}::uuid, 'in', 'contact', '👤 +79161234567',
                           'received', ${JSON.stringify({ contact: { name: 'Olga', phone: '+79161234567', userId: '5001' } })}::jsonb)`);
  });

  it('finds one e-mail or phone in two forms, a shared Telegram phone and names across scripts', async () => {
    const refreshed = await admin.send<{ found: number; open: number; ms: number }>(
      'POST',
      '/api/v1/crm/merge-suggestions/refresh',
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.open).toBeGreaterThanOrEqual(4);
    const list = await admin.get<{ items: Suggestion[] }>('/api/v1/crm/merge-suggestions');
    expect(list.status).toBe(200);
    const items = list.body.items;
    expect(pairOf(items, a, b)?.reasons.map((r) => r.kind)).toContain('email');
    expect(pairOf(items, c, d)?.reasons.map((r) => r.kind)).toEqual(['phone']);
    expect(pairOf(items, tg, p)?.reasons.map((r) => r.kind)).toContain('telegram_phone');
    const names = pairOf(items, e, f);
    expect(names?.reasons).toEqual([expect.objectContaining({ kind: 'name', similarity: 1 })]);
    expect(pairOf(items, g, h)).toBeUndefined();
    // Surest first.
    const scores = items.map((s) => s.score);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(items[0]!.contacts[0].identities).toBeDefined();
  });

  it('shows an agent only pairs whose two contacts they may see, and keeps the pass for supervisors', async () => {
    const agent = await createAgent(app.url, admin, 'Dupes', [inbox1]);
    const list = await agent.get<{ items: Suggestion[] }>('/api/v1/crm/merge-suggestions');
    expect(list.status).toBe(200);
    expect(pairOf(list.body.items, a, b)).toBeDefined();
    expect(pairOf(list.body.items, e, f)).toBeUndefined();
    const names = (await admin.get<{ items: Suggestion[] }>('/api/v1/crm/merge-suggestions')).body;
    const hidden = pairOf(names.items, e, f)!;
    expect(
      (await agent.send('POST', `/api/v1/crm/merge-suggestions/${hidden.id}/dismiss`)).status,
    ).toBe(404);
    expect((await agent.send('POST', '/api/v1/crm/merge-suggestions/refresh')).status).toBe(403);
    const bad = await agent.get<{ error: { code: string } }>(
      '/api/v1/crm/merge-suggestions?limit=0',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('accepts through the merge (undoable), and an accepted pair is not suggested again', async () => {
    const items = (await admin.get<{ items: Suggestion[] }>('/api/v1/crm/merge-suggestions')).body
      .items;
    const s = pairOf(items, a, b)!;
    const wrong = await admin.send('POST', `/api/v1/crm/merge-suggestions/${s.id}/accept`, {
      targetId: c,
    });
    expect(wrong.status).toBe(400);
    const accepted = await admin.send<{ contact: Contact; mergeId: string; sourceId: string }>(
      'POST',
      `/api/v1/crm/merge-suggestions/${s.id}/accept`,
      { targetId: a },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.sourceId).toBe(b);
    const emails = (x: Contact) =>
      x.identities
        .filter((i) => i.kind === 'email')
        .map((i) => i.value)
        .sort();
    expect(emails(accepted.body.contact)).toEqual([
      'john.smith+shop@googlemail.com',
      'johnsmith@gmail.com',
    ]);
    const again = await admin.send<{ error: { code: string } }>(
      'POST',
      `/api/v1/crm/merge-suggestions/${s.id}/accept`,
      {},
    );
    expect(again.status).toBe(409);
    const undone = await admin.send<Contact>(
      'POST',
      `/api/v1/contacts/${a}/merges/${accepted.body.mergeId}/undo`,
    );
    expect(undone.status).toBe(200);
    expect(emails(undone.body)).toEqual(['john.smith+shop@googlemail.com']);
    await app.server.crm.suggestions.refresh('full');
    const after = (await admin.get<{ items: Suggestion[] }>('/api/v1/crm/merge-suggestions')).body;
    expect(pairOf(after.items, a, b)).toBeUndefined();
    const audited = await rows<{ action: string }>(
      sql`select action from audit_log where entity = 'merge_suggestion' and entity_id = ${s.id}::uuid`,
    );
    expect(audited.map((r) => r.action)).toEqual(['accept']);
  });

  it('dismisses a pair for good, and finds new pairs incrementally after a change', async () => {
    const items = (await admin.get<{ items: Suggestion[] }>('/api/v1/crm/merge-suggestions')).body
      .items;
    const s = pairOf(items, c, d)!;
    expect((await admin.send('POST', `/api/v1/crm/merge-suggestions/${s.id}/dismiss`)).status).toBe(
      204,
    );
    expect((await admin.send('POST', `/api/v1/crm/merge-suggestions/${s.id}/dismiss`)).status).toBe(
      409,
    );
    await app.server.crm.suggestions.refresh('full');
    const after = (await admin.get<{ items: Suggestion[] }>('/api/v1/crm/merge-suggestions')).body;
    expect(pairOf(after.items, c, d)).toBeUndefined();
    const [row] = await rows<{ status: string }>(
      sql`select status from merge_suggestions where id = ${s.id}::uuid`,
    );
    expect(row!.status).toBe('dismissed');

    // A contact renamed now: the incremental pass looks at it (and only at changed contacts).
    const x = (await contact('Temporary Visitor')).id;
    await admin.send('PATCH', `/api/v1/contacts/${x}`, { name: 'Хосейн Карими' });
    const y = (await contact('Hossein Karimi')).id;
    const result = await app.server.crm.suggestions.refresh('incremental');
    expect(result.mode).toBe('incremental');
    expect(result.contactsChecked).toBeGreaterThanOrEqual(2);
    const latest = (await admin.get<{ items: Suggestion[] }>('/api/v1/crm/merge-suggestions')).body;
    expect(pairOf(latest.items, x, y)?.reasons[0]?.kind).toBe('name');
    // A merged contact drops out of the open suggestions.
    expect((await admin.send('POST', `/api/v1/contacts/${y}/merge`, { contactId: x })).status).toBe(
      200,
    );
    const merged = (await admin.get<{ items: Suggestion[] }>('/api/v1/crm/merge-suggestions')).body;
    expect(pairOf(merged.items, x, y)).toBeUndefined();
  });
});

describe('the merge-suggestion job and the API description', () => {
  it('schedules the nightly pass, queues a pass after a contact changes, and describes the routes', async () => {
    const nightly = await rows<{ run_at: string }>(
      sql`select run_at from jobs where kind = 'crm.merge-suggestions' and key = 'nightly'`,
    );
    expect(nightly).toHaveLength(1);
    expect(new Date(nightly[0]!.run_at).getUTCHours()).toBe(3);
    await rows(sql`delete from jobs where kind = 'crm.merge-suggestions' and key = 'changed'`);
    const nima = await contact('Nima Tabrizi');
    const someone = await contact('Changed Customer');
    await admin.send('PATCH', `/api/v1/contacts/${someone.id}`, { name: 'نیما تبریزی' });
    await expect
      .poll(async () =>
        rows(
          sql`select payload from jobs where kind = 'crm.merge-suggestions' and key = 'changed'`,
        ),
      )
      .toEqual([{ payload: { mode: 'incremental' } }]);
    // Due now: the worker runs the incremental pass, which finds the renamed contact's twin.
    await rows(
      sql`update jobs set run_at = now() where kind = 'crm.merge-suggestions' and key = 'changed'`,
    );
    app.server.worker.kick();
    const [a, b] = [nima.id, someone.id].sort();
    await expect
      .poll(
        async () =>
          rows(sql`select reasons->0->>'kind' as kind from merge_suggestions
                    where contact_a = ${a}::uuid and contact_b = ${b}::uuid`),
        { timeout: 10_000 },
      )
      .toEqual([{ kind: 'name' }]);
    const doc = await admin.get<{ paths: Record<string, Record<string, unknown>> }>(
      '/api/v1/openapi.json',
    );
    for (const path of [
      '/crm/merge-suggestions',
      '/crm/merge-suggestions/refresh',
      '/crm/merge-suggestions/{id}/accept',
      '/crm/merge-suggestions/{id}/dismiss',
    ])
      expect(doc.body.paths).toHaveProperty([path]);
    // Both operations on one path: the contact's conversations (GET) and starting one (POST).
    expect(Object.keys(doc.body.paths['/contacts/{id}/conversations']!).sort()).toEqual([
      'get',
      'post',
    ]);
    const list = doc.body.paths['/conversations']!['get'] as { parameters: { name: string }[] };
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['tier', 'segment']));
  });
});

describe('conversation list by tier and segment', () => {
  it('filters by the contact’s tier and RFM segment and carries both on each row', async () => {
    const gold = await contact('Gold Customer');
    const silver = await contact('Silver Customer');
    await rows(sql`update contacts set tier = 'gold' where id = ${gold.id}::uuid`);
    await rows(sql`update contacts set tier = 'silver' where id = ${silver.id}::uuid`);
    for (const [id, segment] of [
      [gold.id, 'at_risk'],
      [silver.id, 'champions'],
    ] as const)
      await rows(sql`insert into contact_values (contact_id, as_of, frequency, recency_days, age_days,
                       days_since_last, monetary, historic_value, probability_alive, expected_purchases,
                       horizon_days, predicted_value, rfm, segment, fitted_at)
                     values (${id}::uuid, '2025-01-01', 2, 30, 90, 60, 50, 150, 0.4, 1.2, 365, 900,
                             '215', ${segment}, now())`);
    const byTier = await admin.get<{ items: ConversationRow[] }>(
      '/api/v1/conversations?view=all&status=open,bot,pending&tier=gold',
    );
    expect(byTier.status).toBe(200);
    expect(byTier.body.items.map((c) => c.id)).toEqual([gold.conversationId]);
    expect(byTier.body.items[0]!.contact).toMatchObject({ tier: 'gold', segment: 'at_risk' });
    const bySegment = await admin.get<{ items: ConversationRow[] }>(
      '/api/v1/conversations?view=all&segment=champions,loyal',
    );
    expect(bySegment.body.items.map((c) => c.id)).toEqual([silver.conversationId]);
    const both = await admin.get<{ items: ConversationRow[] }>(
      '/api/v1/conversations?view=all&tier=gold,silver&segment=champions',
    );
    expect(both.body.items.map((c) => c.id)).toEqual([silver.conversationId]);
    const bad = await admin.get<{ error: { code: string } }>(
      '/api/v1/conversations?segment=whales',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    const indexed = await rows<{ indexname: string }>(
      sql`select indexname from pg_indexes where indexname in ('contacts_tier_idx', 'contact_values_segment_idx')`,
    );
    expect(indexed).toHaveLength(2);
  });
});

describe('starting a conversation with a customer', () => {
  it('writes first on SMS when the customer may be reached, once, and refuses what cannot be', async () => {
    const [sms] = await rows<{ id: string }>(
      sql`insert into inboxes (name, channel, routing_key) values ('SMS', 'sms', '+15005550006')
          returning id`,
    );
    const someone = await contact('Reachable Customer');
    await identity(someone.id, 'phone', '+15551230001');
    await admin.send('PATCH', `/api/v1/contacts/${someone.id}`, { preferredChannel: 'sms' });
    const started = await admin.send<ConversationRow>(
      'POST',
      `/api/v1/contacts/${someone.id}/conversations`,
      {},
    );
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ channel: 'sms', inboxId: sms!.id, status: 'open' });
    expect(started.body.assignee).not.toBeNull();
    const again = await admin.send<ConversationRow>(
      'POST',
      `/api/v1/contacts/${someone.id}/conversations`,
      { channel: 'sms' },
    );
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(started.body.id);

    const optedOut = await contact('Opted Out Customer');
    await identity(optedOut.id, 'phone', '+15551230002');
    await rows(sql`update contact_identities set state = 'opted_out'
                    where contact_id = ${optedOut.id}::uuid and kind = 'phone'`);
    const refused = await admin.send<{ error: { code: string; message: string } }>(
      'POST',
      `/api/v1/contacts/${optedOut.id}/conversations`,
      { channel: 'sms' },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('unreachable');
    expect(refused.body.error.message).toMatch(/opted out/);

    const webchat = await admin.send<{ error: { code: string } }>(
      'POST',
      `/api/v1/contacts/${optedOut.id}/conversations`,
      { channel: 'webchat' },
    );
    expect(webchat.status).toBe(400);
    const noEmail = await admin.send<{ error: { code: string } }>(
      'POST',
      `/api/v1/contacts/${optedOut.id}/conversations`,
      { channel: 'email' },
    );
    expect(noEmail.status).toBe(422);
    expect(noEmail.body.error.code).toBe('no_identity');
    const stranger = await createAgent(app.url, admin, 'Stranger', [inbox2]);
    expect(
      (await stranger.send('POST', `/api/v1/contacts/${someone.id}/conversations`, {})).status,
    ).toBe(404);
  });
});
