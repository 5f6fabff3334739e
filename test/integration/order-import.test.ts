import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../../src/db/rows';
import {
  createAgent,
  login,
  request,
  startTestServer,
  type Api,
  type TestServer,
} from '../helpers/server';
import { orderImports, type OrderImport } from '../helpers/order-imports';

let app: TestServer;
let admin: Api;

beforeAll(async () => {
  app = await startTestServer();
  admin = await login(app.url);
});
afterAll(async () => {
  await app?.stop();
});

const rows = <T>(query: SQL) => queryRows<T>(app.server.database.db, query);

const { upload, start, finished } = orderImports(() => ({ url: app.url, admin }));

// BOM, ';', Persian digits, thousands separators, three date formats, a Jalali date, a refund.
const good =
  '\ufeffOrder ID;E-mail;Total;Order date;Currency\r\n' +
  'IMP-1;imp-buyer@example.com;"1.234,50";2025-04-01;EUR\r\n' +
  'IMP-2;imp-buyer@example.com;۱۲۰;02.04.2025;EUR\r\n' +
  'IMP-3;imp-buyer@example.com;-34,50;03/04/2025 10:30;EUR\r\n' +
  'IMP-4;imp-other@example.com;1,200;۱۴۰۴/۰۱/۱۵;\r\n';
const mapping = {
  externalId: 'Order ID',
  email: 'E-mail',
  amount: 'Total',
  placedAt: 'Order date',
  currency: 'Currency',
};

describe('order imports as background jobs', () => {
  it('proposes the mapping, dry-runs with row errors, refuses a bad file whole, imports a good one idempotently', async () => {
    const bad =
      good +
      'IMP-5;imp-other@example.com;12;2025-04-01;ZZZ\r\n' +
      'IMP-1;imp-other@example.com;1;2025-04-01;EUR\r\n' +
      'IMP-6;not-an-email;abc;31.02.2025;EUR\r\n';
    const draft = await upload(bad);
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', totalRows: 7, proposedMapping: mapping });
    expect(draft.body.header).toEqual(['Order ID', 'E-mail', 'Total', 'Order date', 'Currency']);

    const queued = await start(draft.body.id, mapping, true);
    expect(queued.status).toBe(202);
    const dry = await finished(draft.body.id);
    expect(dry).toMatchObject({ status: 'checked', errorCount: 3, created: 4, contactsCreated: 2 });
    expect(dry.errors!.map((e) => [e.row, e.field, e.code, e.value])).toEqual([
      [6, 'currency', 'unknown_currency', 'ZZZ'],
      [7, 'externalId', 'duplicate_external_id', 'IMP-1'],
      [8, 'customer', 'invalid_identity', 'not-an-email'],
    ]);
    // The same upload, imported for real: any bad row and nothing is written.
    await start(draft.body.id, mapping);
    const refused = await finished(draft.body.id);
    expect(refused).toMatchObject({ status: 'failed', failure: 'invalid_rows', errorCount: 3 });
    expect(
      (
        await rows<{ n: number }>(
          sql`select count(*)::int as n from orders where external_id like 'IMP-%'`,
        )
      )[0]!.n,
    ).toBe(0);
    expect((await start(draft.body.id, mapping)).status).toBe(409);

    const first = await upload(good);
    await start(first.body.id, mapping);
    expect(await finished(first.body.id)).toMatchObject({
      status: 'done',
      rowsDone: 4,
      created: 4,
      updated: 0,
      contactsCreated: 2,
      errorCount: 0,
    });
    const stored = await rows<{
      external_id: string;
      amount: string;
      currency: string;
      day: string;
    }>(
      sql`select external_id, amount::text, currency, to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as day
            from orders where external_id like 'IMP-%' order by external_id`,
    );
    expect(stored).toEqual([
      { external_id: 'IMP-1', amount: '1234.50', currency: 'EUR', day: '2025-04-01 00:00' },
      { external_id: 'IMP-2', amount: '120.00', currency: 'EUR', day: '2025-04-02 00:00' },
      { external_id: 'IMP-3', amount: '-34.50', currency: 'EUR', day: '2025-04-03 10:30' },
      { external_id: 'IMP-4', amount: '1200.00', currency: 'USD', day: '2025-04-04 00:00' },
    ]);
    const [buyer] = await rows<{ lifetime_value: string }>(
      sql`select c.lifetime_value::text as lifetime_value from contacts c
            join contact_identities ci on ci.contact_id = c.id where ci.value = 'imp-buyer@example.com'`,
    );
    expect(buyer!.lifetime_value).toBe('1320.00');

    // The same file again changes nothing; a changed amount updates one order and its contact.
    const again = await upload(good);
    await start(again.body.id, mapping);
    expect(await finished(again.body.id)).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    const changed = await upload(good.replace('۱۲۰', '220'));
    await start(changed.body.id, mapping);
    expect(await finished(changed.body.id)).toMatchObject({ updated: 1, unchanged: 3 });
    const [after] = await rows<{ lifetime_value: string }>(
      sql`select c.lifetime_value::text as lifetime_value from contacts c
            join contact_identities ci on ci.contact_id = c.id where ci.value = 'imp-buyer@example.com'`,
    );
    expect(after!.lifetime_value).toBe('1420.00');

    // An order moving to a customer we do not know yet: the old owner's value drops with it.
    const moved = await upload(
      good.replace('۱۲۰', '220').replace('IMP-4;imp-other@', 'IMP-4;imp-new@'),
    );
    await start(moved.body.id, mapping);
    expect(await finished(moved.body.id)).toMatchObject({
      updated: 1,
      unchanged: 3,
      contactsCreated: 1,
    });
    const values = await rows<{ value: string; lifetime_value: string | null }>(
      sql`select ci.value, c.lifetime_value::text as lifetime_value from contacts c
            join contact_identities ci on ci.contact_id = c.id
           where ci.value in ('imp-other@example.com', 'imp-new@example.com') order by ci.value`,
    );
    expect(values).toEqual([
      { value: 'imp-new@example.com', lifetime_value: '1200.00' },
      { value: 'imp-other@example.com', lifetime_value: null },
    ]);

    const list = await admin.get<{ items: OrderImport[] }>('/api/v1/orders/imports');
    expect(list.body.items[0]!.id).toBe(moved.body.id);
    expect(list.body.items[0]!.errors).toBeUndefined();
  });

  it('answers 4xx for what cannot be imported, and to agents', async () => {
    expect((await upload('')).body.error?.code).toBe('invalid_csv');
    expect((await upload('a;b\n')).body.error?.code).toBe('invalid_csv');
    expect((await upload('a;b\n"x;1\n')).status).toBe(400);
    expect((await upload('x'.repeat(10) + '\n' + 'y'.repeat(10_001) + '\n')).status).toBe(400);
    const draft = await upload('Id;Mail;Total;Date\n1;a@b.cd;1;2025-01-01\n');
    const wrong = await start(draft.body.id, mapping);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'invalid_mapping' });
    expect(wrong.body.error!.message).toMatch(/no column "Order ID"/);
    const unknown = await admin.get<OrderImport>(
      '/api/v1/orders/imports/00000000-0000-4000-8000-000000000000',
    );
    expect(unknown.status).toBe(404);
    const asJson = await admin.send<OrderImport>('POST', '/api/v1/orders/imports', { csv: 'a;b' });
    expect(asJson.status).toBe(400);
    expect(asJson.body.error?.code).toBe('invalid_csv');
    // A file nobody imported within a day is dropped by the next upload.
    const stale = await upload(good);
    await app.server.database.db.execute(
      sql`update order_imports set created_at = now() - interval '25 hours' where id = ${stale.body.id}`,
    );
    await upload(good);
    const expired = await admin.get<OrderImport>(`/api/v1/orders/imports/${stale.body.id}`);
    expect(expired.body).toMatchObject({ status: 'failed', failure: 'expired' });
    expect((await start(stale.body.id, mapping)).status).toBe(409);
    const agent = await createAgent(app.url, admin, 'ImportAgent', []);
    expect((await upload(good, agent.token)).status).toBe(403);
    expect((await agent.get('/api/v1/orders/imports')).status).toBe(403);
  });
});

describe('OpenAPI', () => {
  it('describes the import routes', async () => {
    const doc = await request<{ paths: Record<string, unknown> }>(
      app.url,
      'GET',
      '/api/v1/openapi.json',
    );
    for (const path of [
      '/orders/import',
      '/orders/imports',
      '/orders/imports/{id}',
      '/orders/imports/{id}/start',
      '/crm/currencies',
    ])
      expect(doc.body.paths).toHaveProperty([path]);
  });
});

describe('accepted currencies', () => {
  it('converts listed currencies into the base one, keeps what was sent, refuses the others per row', async () => {
    const put = await admin.send('PUT', '/api/v1/crm/currencies', { rates: { EUR: 1.1 } });
    expect(put.status).toBe(200);
    expect((await admin.send('PUT', '/api/v1/crm/currencies', { rates: { XYZ: 1 } })).status).toBe(
      400,
    );
    const csv =
      'Order ID;E-mail;Total;Order date;Currency\n' +
      'CUR-1;cur@example.com;100;2025-05-01;EUR\n' +
      'CUR-2;cur@example.com;5;2025-05-02;\n' +
      'CUR-3;cur@example.com;5;2025-05-03;GBP\n';
    const draft = await upload(csv);
    await start(draft.body.id, mapping, true);
    const dry = await finished(draft.body.id);
    expect(dry.errors!.map((e) => [e.row, e.code])).toEqual([[4, 'currency_not_accepted']]);
    const fixed = await upload(csv.replace(';GBP', ';USD'));
    await start(fixed.body.id, mapping);
    expect(await finished(fixed.body.id)).toMatchObject({ status: 'done', created: 3 });
    const stored = await rows<{
      external_id: string;
      amount: string;
      currency: string;
      original_amount: string | null;
      original_currency: string | null;
    }>(
      sql`select external_id, amount::text, currency, original_amount::text, original_currency
            from orders where external_id like 'CUR-%' order by external_id`,
    );
    expect(stored).toEqual([
      {
        external_id: 'CUR-1',
        amount: '110.00',
        currency: 'USD',
        original_amount: '100.00',
        original_currency: 'EUR',
      },
      {
        external_id: 'CUR-2',
        amount: '5.00',
        currency: 'USD',
        original_amount: null,
        original_currency: null,
      },
      {
        external_id: 'CUR-3',
        amount: '5.00',
        currency: 'USD',
        original_amount: null,
        original_currency: null,
      },
    ]);
    // The JSON API follows the same rule.
    const json = await admin.send<{ created: number; errors: { code: string }[] }>(
      'POST',
      '/api/v1/orders',
      {
        orders: [
          {
            externalId: 'CUR-J1',
            identity: { kind: 'email', value: 'cur@example.com' },
            amount: 10,
            currency: 'EUR',
            placedAt: '2025-05-04',
          },
          {
            externalId: 'CUR-J2',
            identity: { kind: 'email', value: 'cur@example.com' },
            amount: 10,
            currency: 'GBP',
            placedAt: '2025-05-04',
          },
        ],
      },
    );
    expect(json.body.created).toBe(1);
    expect(json.body.errors.map((e) => e.code)).toEqual(['currency_not_accepted']);
    const [j1] = await rows<{ amount: string; original_amount: string; original_currency: string }>(
      sql`select amount::text, original_amount::text, original_currency from orders where external_id = 'CUR-J1'`,
    );
    expect(j1).toEqual({ amount: '11.00', original_amount: '10.00', original_currency: 'EUR' });
    await admin.send('PUT', '/api/v1/crm/currencies', { rates: {} });
  });
});
