// Big files: 1 GB refused at once, 30,000 rows imported while the server keeps answering, and
// an import interrupted by a restart redone from its file.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../../src/db/rows';
import { login, startTestServer, type Api, type TestServer } from '../helpers/server';
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

const bigMapping = { externalId: 'order', email: 'email', amount: 'amount', placedAt: 'date' };

describe('what is too big', () => {
  it('refuses bytes that are not UTF-8 and 1 GB of rubbish at once, without reading it, and stays up', async () => {
    const url = new URL(app.url);
    const notUtf8 = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/api/v1/orders/imports',
          headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'text/csv' },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(Buffer.from([0x4f, 0x72, 0x64, 0xff, 0xfe, 0x0a, 0x31]));
    });
    expect(notUtf8.status).toBe(400);
    expect(JSON.parse(notUtf8.body)).toMatchObject({ error: { code: 'invalid_csv' } });

    const gigabyte = 1024 ** 3;
    const started = Date.now();
    const outcome = await new Promise<{ status: number; sent: number }>((resolve) => {
      let sent = 0;
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/api/v1/orders/imports',
        headers: {
          authorization: `Bearer ${admin.token}`,
          'content-type': 'text/csv',
          'content-length': String(gigabyte),
        },
      });
      const chunk = Buffer.alloc(1024 * 1024, 0x41);
      const pump = () => {
        while (sent < gigabyte && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      req.on('response', (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      });
      req.on('error', () => resolve({ status: -1, sent }));
      pump();
    });
    expect(outcome.status).toBe(413);
    expect(outcome.sent).toBeLessThan(gigabyte / 4);
    expect(Date.now() - started).toBeLessThan(10_000);

    // Streamed without a length: refused once the limit (64 MB) is passed, not at the end.
    const streamed = await new Promise<{ status: number; sent: number }>((resolve) => {
      let sent = 0;
      let answered = false;
      const req = httpRequest({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/api/v1/orders/imports',
        headers: {
          authorization: `Bearer ${admin.token}`,
          'content-type': 'text/csv',
          'transfer-encoding': 'chunked',
        },
      });
      const chunk = Buffer.alloc(1024 * 1024, 0x42);
      const pump = () => {
        while (!answered && !req.destroyed && sent < gigabyte) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
      };
      req.on('response', (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      });
      req.on('error', () => resolve({ status: -1, sent }));
      pump();
    });
    expect(streamed.status).toBe(413);
    expect(streamed.sent).toBeLessThan(gigabyte / 4);
    expect((await admin.get('/api/v1/orders/imports')).status).toBe(200);
  });
});

describe('a large import', () => {
  const ROWS = 30_000;
  const big = () => {
    const lines = ['order,email,amount,date'];
    for (let i = 0; i < ROWS; i++)
      lines.push(
        `BIG-${i},big-${i % 5000}@example.com,${(i % 97) + 0.5},2025-0${1 + (i % 9)}-1${i % 10}`,
      );
    return lines.join('\n');
  };

  it('reports progress and keeps answering other requests while it runs', async () => {
    const draft = await upload(big());
    expect(draft.body.totalRows).toBe(ROWS);
    await start(draft.body.id, bigMapping);
    const seen: number[] = [];
    const latencies: number[] = [];
    for (;;) {
      const before = (await admin.get<OrderImport>(`/api/v1/orders/imports/${draft.body.id}`)).body;
      const t0 = performance.now();
      const other = await admin.get('/api/v1/conversations?limit=5');
      const took = performance.now() - t0;
      expect(other.status).toBe(200);
      const state = (await admin.get<OrderImport>(`/api/v1/orders/imports/${draft.body.id}`)).body;
      // Timed while rows were being checked and staged (the final transaction is one burst).
      if (before.status === 'validating' && state.status === 'validating') {
        latencies.push(took);
        seen.push(state.rowsDone);
      }
      if (state.status === 'done' || state.status === 'failed') {
        expect(state).toMatchObject({ status: 'done', created: ROWS, contactsCreated: 5000 });
        break;
      }
    }
    // Progress was visible part-way, and the calls made while rows were checked answered fast.
    expect(seen.some((n) => n > 0 && n < ROWS)).toBe(true);
    expect(latencies.length).toBeGreaterThan(0);
    latencies.sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length / 2)]!).toBeLessThan(500);
    const [count] = await rows<{ n: number }>(
      sql`select count(*)::int as n from orders where external_id like 'BIG-%'`,
    );
    expect(count!.n).toBe(ROWS);
  });

  it('is redone from its file after a restart that interrupted it: nothing half-imported', async () => {
    const csv =
      'order,email,amount,date\nRST-1,rst@example.com,10,2025-01-01\nRST-2,rst@example.com,5,2025-01-02\n';
    const draft = await upload(csv);
    const id = draft.body.id;
    // The state a crash mid-import leaves: importing, a partial stage, its job claimed by a worker
    // that is gone (lease expired).
    await app.server.database.db.execute(sql`
      update order_imports set status = 'importing', mapping = ${JSON.stringify(bigMapping)}::jsonb,
             rows_done = 1 where id = ${id}`);
    await app.server.database.db.execute(sql`
      insert into order_import_rows (import_id, idx, external_id, amount, currency, ordered_at, contact_id)
      select ${id}::uuid, 0, 'RST-GHOST', 1, 'USD', now(), id from contacts limit 1`);
    await app.halt();
    app = await startTestServer({}, { storage: app.storage });
    admin = await login(app.url);
    await app.server.database.db.execute(sql`
      insert into jobs (kind, key, payload, attempts, locked_by, locked_until, lease_token)
      values ('orders.import', ${id}, ${JSON.stringify({ importId: id })}::jsonb, 1, 'gone',
              now() - interval '1 second', 1)`);
    // (A real crash leaves this row behind; the test writes it after the restart so that the
    // stopping server's worker cannot have taken it.)
    app.server.worker.kick();
    expect(await finished(id)).toMatchObject({ status: 'done', created: 2 });
    const got = await rows<{ external_id: string }>(
      sql`select external_id from orders where external_id like 'RST-%' order by external_id`,
    );
    expect(got.map((g) => g.external_id)).toEqual(['RST-1', 'RST-2']);
    expect(
      (
        await rows<{ n: number }>(
          sql`select count(*)::int as n from order_import_rows where import_id = ${id}`,
        )
      )[0]!.n,
    ).toBe(0);
  });
});
