/**
 * The general ingest path on its own (`npm run bench:ingest`): every message comes from a
 * customer the server has never seen, so each one creates a contact, an identity and a
 * conversation. The server runs in this process with no sockets connected; callers keep
 * BENCH_CONCURRENCY messages in flight for BENCH_SECONDS. Then, on the same database, the rate
 * of plain single-row INSERTs at the same concurrency: the database's own limit here.
 *
 *   BENCH_SECONDS=10  BENCH_CONCURRENCY=200  BENCH_WARMUP_SECONDS=2
 *   DATABASE_URL=…    a fresh database is created on that server (and dropped afterwards)
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { startServer } from '../src/server';
import { createTestStorage } from '../test/helpers/database';
import { queryRows } from '../src/db/rows';
import { percentile } from './protocol';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 200);
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);

async function closedLoop(
  run: () => Promise<unknown>,
  durationS: number,
): Promise<{ count: number; latencies: number[]; elapsed: number }> {
  const latencies: number[] = [];
  const end = performance.now() + durationS * 1000;
  const started = performance.now();
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await run();
        latencies.push(performance.now() - t0);
        count++;
      }
    }),
  );
  return {
    count,
    latencies: latencies.sort((a, b) => a - b),
    elapsed: performance.now() - started,
  };
}

async function main(): Promise<void> {
  const storage = await createTestStorage();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: storage.dataDir,
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench-password-1',
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
  });
  const server = await startServer(config, createLogger('error'), { print: () => undefined });
  try {
    const [row] = await queryRows<{ id: string }>(
      server.database.db,
      sql`select id from inboxes where channel = 'webchat' limit 1`,
    );
    const live = await server.host.get(row!.id);
    const inbox = { ...live!.inbox, threaded: false };
    let n = 0;
    const oneNewCustomer = () => {
      const visitor = randomUUID();
      return server.ingest.ingest(inbox, {
        sender: { kind: 'webchat', value: visitor },
        providerMessageId: `${visitor}:${++n}`,
        text: `سلام، سفارش ${n} من کجاست؟ Where is my order ${n}?`,
        attachments: [],
      });
    };
    await closedLoop(oneNewCustomer, warmup);
    const ingest = await closedLoop(oneNewCustomer, seconds);

    await server.database.db.execute(
      sql`create table bench_insert (id uuid primary key default gen_random_uuid(), body text not null, at timestamptz not null default now())`,
    );
    const insert = await closedLoop(
      () =>
        server.database.db.execute(sql`insert into bench_insert (body) values (${'x'.repeat(60)})`),
      seconds,
    );

    const rate = (r: { count: number; elapsed: number }) => (r.count / r.elapsed) * 1000;
    const db = storage.databaseUrl ? 'PostgreSQL' : 'PGlite';
    console.log(`\ningest, every message from a new customer (${db}, ${concurrency} in flight)`);
    console.log(
      `  ${rate(ingest).toFixed(0)} messages/s; latency p50 ${percentile(ingest.latencies, 50).toFixed(1)} ms, p99 ${percentile(ingest.latencies, 99).toFixed(1)} ms`,
    );
    console.log(`  plain single-row INSERTs, same driver: ${rate(insert).toFixed(0)}/s`);
    console.log(`  ratio: ${((rate(ingest) / rate(insert)) * 100).toFixed(1)} %`);
  } finally {
    await server.stop();
    await storage.cleanup();
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
