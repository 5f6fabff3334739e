/**
 * The analytical CRM's speed (`npm run bench:crm`), three numbers:
 *  1. CSV import: BENCH_ORDERS simulated orders (default 100,000) uploaded as one CSV file to
 *     POST /api/v1/orders/imports and imported by the background job, rows per second end to
 *     end (upload, parse, check, stage, the final transaction, LTV), and the latency of the
 *     progress polls meanwhile;
 *  2. CLV fit: BG/NBD + Gamma-Gamma on BENCH_CUSTOMERS simulated customers (default 100,000),
 *     summaries + fit + per-customer predictions, in this process;
 *  3. summary report: GET /api/v1/reports/summary over BENCH_MESSAGES messages (default
 *     1,000,000 on PostgreSQL, 100,000 on PGlite) in conversations of 5 messages each.
 *
 *   DATABASE_URL=…    a fresh database is created on that server (and dropped afterwards)
 */
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { startServer } from '../src/server';
import { createTestStorage } from '../test/helpers/database';
import { simulateOrders } from '../src/clv/simulate';
import { summarize } from '../src/clv/summary';
import { fitClv, scoreCustomer } from '../src/clv/model';
import { percentile } from './protocol';

const truth = {
  bgNbd: { r: 0.5, alpha: 20, a: 0.8, b: 2.5 },
  gammaGamma: { p: 6, q: 4, gamma: 15 },
  start: '2024-01-01',
  cohortDays: 90,
  asOf: '2024-12-31',
};

function fitBench(customers: number): void {
  const orders = simulateOrders({ customers, ...truth, seed: 1 });
  const t0 = performance.now();
  const summaries = summarize(orders, truth.asOf);
  const t1 = performance.now();
  const fit = fitClv(summaries);
  const t2 = performance.now();
  for (const s of summaries) scoreCustomer(fit, s, 365);
  const t3 = performance.now();
  console.log(
    `CLV fit, ${customers} customers (${orders.length} orders): summaries ${(t1 - t0).toFixed(0)} ms, ` +
      `fit ${(t2 - t1).toFixed(0)} ms, predictions ${(t3 - t2).toFixed(0)} ms, total ${((t3 - t0) / 1000).toFixed(2)} s`,
  );
  console.log(
    `  fitted r=${fit.bgNbd.params.r.toFixed(3)} α=${fit.bgNbd.params.alpha.toFixed(2)} a=${fit.bgNbd.params.a.toFixed(3)} b=${fit.bgNbd.params.b.toFixed(3)}` +
      ` p=${fit.gammaGamma.params.p.toFixed(2)} q=${fit.gammaGamma.params.q.toFixed(2)} γ=${fit.gammaGamma.params.gamma.toFixed(2)} (simulated from 0.5, 20, 0.8, 2.5, 6, 4, 15)`,
  );
}

async function main(): Promise<void> {
  const targetOrders = Number(process.env.BENCH_ORDERS ?? 100_000);
  const customers = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
  fitBench(customers);

  const storage = await createTestStorage();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: storage.dataDir,
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench-password-1',
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
  });
  const server = await startServer(config, createLogger('warn'), { print: () => undefined });
  try {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password-1' }),
    });
    const { token } = (await login.json()) as { token: string };

    // ---- 1. CSV import -------------------------------------------------------------------------
    const orders = simulateOrders({
      customers: Math.ceil(targetOrders / 4.2),
      ...truth,
      seed: 2,
    }).slice(0, targetOrders);
    const lines = ['order;email;amount;date'];
    orders.forEach((o, i) =>
      lines.push(
        `B${i};${o.contactId}@bench.example.com;${o.amount.toFixed(2).replace('.', ',')};${o.orderedAt.toISOString().slice(0, 10)}`,
      ),
    );
    const csv = lines.join('\r\n');
    const auth = { authorization: `Bearer ${token}` };
    const t0 = performance.now();
    const up = await fetch(`${server.url}/api/v1/orders/imports?fileName=bench.csv`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: csv,
    });
    const draft = (await up.json()) as { id: string };
    const tUp = performance.now();
    await fetch(`${server.url}/api/v1/orders/imports/${draft.id}/start`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        mapping: { externalId: 'order', email: 'email', amount: 'amount', placedAt: 'date' },
      }),
    });
    // Poll the progress: each poll's latency is how the server answers while it imports.
    const phases = new Map<string, number>();
    const latencies: number[] = [];
    let state: { status: string; created: number | null; failure: string | null };
    for (;;) {
      const p0 = performance.now();
      const r = await fetch(`${server.url}/api/v1/orders/imports/${draft.id}`, {
        headers: { ...auth, connection: 'close' },
      });
      state = (await r.json()) as typeof state;
      latencies.push(performance.now() - p0);
      if (!phases.has(state.status)) phases.set(state.status, performance.now());
      if (state.status === 'done' || state.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - t0) / 1000;
    const at = (s: string) => ((phases.get(s) ?? NaN) - t0) / 1000;
    latencies.sort((a, b) => a - b);
    console.log(
      `CSV import (${server.database.kind}): ${orders.length} rows, ${(csv.length / 1e6).toFixed(1)} MB, ` +
        `${state.status}, created ${state.created ?? state.failure}, ${seconds.toFixed(2)} s, ` +
        `${Math.round(orders.length / seconds)} rows/s`,
    );
    console.log(
      `  upload ${((tUp - t0) / 1000).toFixed(2)} s; importing (final transaction) from ` +
        `${at('importing').toFixed(2)} s; done at ${at('done').toFixed(2)} s; progress polls: ` +
        `median ${percentile(latencies, 50).toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms`,
    );

    // ---- 3. summary report ----------------------------------------------------------------------
    const messages = Number(
      process.env.BENCH_MESSAGES ?? (server.database.kind === 'postgres' ? 1_000_000 : 100_000),
    );
    const conversations = Math.ceil(messages / 5);
    const db = server.database.db;
    const s0 = performance.now();
    await db.execute(
      sql`insert into contacts (name) select 'bench ' || g from generate_series(1, ${conversations}) g`,
    );
    await db.execute(sql`
      insert into conversations (inbox_id, contact_id, channel, status, created_at, first_reply_at, resolved_at, csat, sla_state)
      select (select id from inboxes order by created_at limit 1), c.id, 'webchat',
             case when n % 3 = 0 then 'resolved'::conversation_status else 'open'::conversation_status end,
             t, t + (n % 600) * interval '1 second', case when n % 3 = 0 then t + (n % 7200) * interval '1 second' end,
             case when n % 4 = 0 then 1 + n % 5 end, case when n % 10 = 0 then 'breached' else 'ok' end
        from (select id, row_number() over () as n from contacts where name like 'bench %') c,
             lateral (select timestamptz '2030-01-01' + (c.n % 2592000) * interval '1 second' as t) x`);
    await db.execute(sql`
      insert into messages (conversation_id, inbox_id, direction, sender_type, text, status, created_at)
      select cv.id, cv.inbox_id, case when k % 2 = 0 then 'in'::direction else 'out'::direction end,
             case when k % 2 = 0 then 'contact'::sender_type else 'user'::sender_type end,
             'bench', 'sent'::message_status, cv.created_at + k * interval '1 minute'
        from conversations cv, generate_series(0, 4) k where cv.created_at >= '2030-01-01'`);
    await db.execute(sql`analyze`);
    console.log(
      `  seeded ${conversations} conversations and ${conversations * 5} messages in ${((performance.now() - s0) / 1000).toFixed(1)} s`,
    );
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r0 = performance.now();
      // `connection: close`: a kept-alive socket idle through the seeding may already be closed.
      const r = await fetch(`${server.url}/api/v1/reports/summary?from=2030-01-01&to=2030-02-01`, {
        headers: { authorization: `Bearer ${token}`, connection: 'close' },
      });
      await r.json();
      times.push(performance.now() - r0);
      if (r.status !== 200) throw new Error(`report answered ${r.status}`);
    }
    times.sort((a, b) => a - b);
    console.log(
      `Summary report (${server.database.kind}): ${conversations} conversations, ${conversations * 5} messages: ` +
        `median ${times[2]!.toFixed(0)} ms, best ${times[0]!.toFixed(0)} ms, worst ${times[4]!.toFixed(0)} ms`,
    );
  } finally {
    await server.stop();
    await storage.cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
