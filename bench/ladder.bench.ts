/**
 * The complaint ladder under load (`npm run bench:ladder`).
 *
 * 1. SLA timers: BENCH_TIMERS open conversations (default 100,000) each carry a first-response
 *    clock and its `sla.check` job, due times spread over BENCH_SPREAD_HOURS (default 8): a
 *    working day's worth of timers. For BENCH_SECONDS the server's own worker fires what comes
 *    due; halfway, a burst of BENCH_BURST timers (default 2,000) falls due at one instant.
 *    Printed: how late each timer fired (`breached_at - due_at`, p50/p99) for the steady flow
 *    and the burst, the process's CPU per second while it ran, and the time of the worker's
 *    claim query on the full table (the scheduler's work follows the timers due, not the
 *    conversations open).
 * 2. Rules: BENCH_RULES enabled rules (default 200) on `message.created`, with keyword, tier,
 *    channel and level conditions in three languages; the time to load one event's facts and
 *    judge every rule, per message (the runner, as the durable listener calls it).
 *
 *   DATABASE_URL=…  a fresh database on that server (dropped afterwards); default PGlite.
 */
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/config/config';
import { queryRows } from '../src/db/rows';
import { createLogger } from '../src/logger';
import { startServer } from '../src/server';
import { percentile } from './protocol';
import { loadFacts } from '../src/rules/facts';
import { conditionsHold } from '../src/rules/engine';
import { createTestStorage } from '../test/helpers/database';

const TIMERS = Number(process.env.BENCH_TIMERS ?? 100_000);
const SPREAD_H = Number(process.env.BENCH_SPREAD_HOURS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const BURST = Number(process.env.BENCH_BURST ?? 2_000);
const RULES = Number(process.env.BENCH_RULES ?? 200);
const MESSAGES = Number(process.env.BENCH_RULE_MESSAGES ?? 500);

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

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
  const db = server.database.db;
  const dbName = storage.databaseUrl ? 'PostgreSQL' : 'PGlite';
  try {
    // ---- seed: contacts, open conversations, clocks and their jobs, set-based ---------------
    const seedStart = performance.now();
    const [inbox] = await queryRows<{ id: string }>(
      db,
      sql`select id from inboxes where channel = 'webchat' limit 1`,
    );
    // Timers start due a little after seeding ends, so none is late before the worker could run.
    const lead = 20 + Math.ceil(TIMERS / 20_000) * 5;
    const t0 = Date.now() + lead * 1000;
    const burstAt = t0 + (SECONDS / 2) * 1000;
    const chunk = 20_000;
    for (let from = 0; from < TIMERS; from += chunk) {
      const to = Math.min(TIMERS, from + chunk) - 1;
      await db.execute(sql`
        with c as (
          insert into contacts (name) select 'bench ' || g from generate_series(${from}::int, ${to}::int) g
          returning id
        ), v as (
          insert into conversations (inbox_id, contact_id, channel, status, waiting_since, last_message_at)
          select ${inbox!.id}::uuid, c.id, 'webchat', 'open', now(), now() from c
          returning id
        ), n as (
          select id, row_number() over () + ${from}::int - 1 as i from v
        ), due as (
          select id, i,
                 case when i < ${BURST}::int then to_timestamp(${burstAt / 1000}::double precision)
                      else to_timestamp(${t0 / 1000}::double precision
                                        + (i - ${BURST}::int) * ${(SPREAD_H * 3600) / Math.max(1, TIMERS - BURST)}::double precision)
                 end as at
            from n
        ), k as (
          insert into sla_clocks (conversation_id, target, budget_seconds, running_since, due_at)
          select id, 'firstResponse', 1800, now(), at from due
          returning conversation_id, due_at
        )
        insert into jobs (kind, key, payload, run_at)
        select 'sla.check', conversation_id || ':firstResponse',
               jsonb_build_object('conversationId', conversation_id, 'target', 'firstResponse'), due_at
          from k`);
    }
    await db.execute(sql`analyze`);
    const seedS = (performance.now() - seedStart) / 1000;

    // The claim query's cost with every timer pending (most of them hours away).
    const plan = await queryRows<{ 'QUERY PLAN': string }>(
      db,
      sql`explain analyze select id from jobs where state = 'pending' and run_at <= now()
          order by run_at limit 50 for update skip locked`,
    );
    const claimMs = plan.map((r) => r['QUERY PLAN']).find((l) => /Execution Time/.test(l));

    // ---- run: the worker fires what comes due -----------------------------------------------
    const wait = t0 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - wall0) / 1000;
    // Give the burst's tail the time to finish before reading lateness.
    await new Promise((r) => setTimeout(r, 5_000));
    const fired = await queryRows<{ late: number; burst: boolean }>(
      db,
      sql`select extract(epoch from (breached_at - due_at)) * 1000 as late,
                 due_at = to_timestamp(${burstAt / 1000}::double precision) as burst
            from sla_clocks where breached_at is not null`,
    );
    const due = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from sla_clocks where due_at <= now() - interval '5 seconds'`,
    );
    const steady = fired
      .filter((f) => !f.burst)
      .map((f) => Number(f.late))
      .sort((a, b) => a - b);
    const burst = fired
      .filter((f) => f.burst)
      .map((f) => Number(f.late))
      .sort((a, b) => a - b);

    console.log(`\nSLA timers (${dbName}): ${TIMERS.toLocaleString('en')} open conversations`);
    console.log(`  seeded in ${seedS.toFixed(1)} s; claim query with all pending: ${claimMs}`);
    console.log(
      `  steady flow: ${steady.length} fired in ${SECONDS} s; lateness p50 ${ms(percentile(steady, 50))}, p99 ${ms(percentile(steady, 99))}, max ${ms(steady.at(-1) ?? NaN)}`,
    );
    console.log(
      `  burst of ${BURST} due at one instant: ${burst.length} fired; lateness p50 ${ms(percentile(burst, 50))}, p99 ${ms(percentile(burst, 99))}`,
    );
    console.log(`  due by now: ${due[0]!.n}, fired: ${fired.length}`);
    console.log(
      `  process CPU while firing: ${((cpu.user + cpu.system) / 1e4 / wall).toFixed(1)} % of one core (${((cpu.user + cpu.system) / 1000 / Math.max(1, fired.length)).toFixed(2)} ms per timer, with its events, rules and sockets)`,
    );

    // ---- rules: 200 enabled rules, judged per message ---------------------------------------
    const words = [
      ['refund', 'возврат', 'بازپرداخت'],
      ['broken', 'сломан', 'خراب'],
      ['late', 'опоздание', 'تاخیر'],
      ['manager', 'начальник', 'مدیر'],
      ['invoice', 'счёт', 'فاکتور'],
    ];
    const admin = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.com', password: 'bench-password-1' }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    for (let i = 0; i < RULES; i++) {
      const res = await fetch(`${server.url}/api/v1/rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({
          name: `bench rule ${i}`,
          event: 'message.created',
          enabled: true,
          conditions: {
            all: [
              {
                field: 'message.text',
                op: 'containsAny',
                value: [...words[i % words.length]!, `code${i}`],
              },
              { field: 'conversation.channel', op: 'eq', value: i % 2 ? 'webchat' : 'email' },
            ],
            any: [
              { field: 'contact.tier', op: 'in', value: ['gold', 'platinum'] },
              { field: 'complaint.level', op: 'gte', value: (i % 4) + 1 },
            ],
          },
          actions: [{ type: 'addLabel', label: `bench-${i}` }],
        }),
      });
      if (res.status !== 201) throw new Error(`rule ${i}: ${res.status} ${await res.text()}`);
    }
    const sample = await queryRows<{ id: string }>(
      db,
      sql`select id from conversations order by id limit ${MESSAGES}`,
    );
    // One real message per conversation to judge.
    const texts = [
      'سلام، سفارش من هنوز نرسیده و خیلی دیر شده است',
      'Здравствуйте, мой заказ до сих пор не пришёл, прошу разобраться',
      'Hello, my parcel has not arrived yet and nobody answers the phone',
    ];
    const refs: { conversationId: string; messageId: string }[] = [];
    for (const [i, c] of sample.entries()) {
      const [m] = await queryRows<{ id: string }>(
        db,
        sql`insert into messages (conversation_id, inbox_id, direction, sender_type, text, status)
            select id, inbox_id, 'in', 'contact', ${texts[i % 3]!}, 'received'
              from conversations where id = ${c.id} returning id`,
      );
      refs.push({ conversationId: c.id, messageId: m!.id });
    }
    const runner = server.ladder.runner;
    for (const r of refs.slice(0, 50)) await runner.run('message.created', r); // warm caches
    const times: number[] = [];
    for (const r of refs) {
      const a = performance.now();
      await runner.run('message.created', r);
      times.push(performance.now() - a);
    }
    times.sort((a, b) => a - b);
    // The judging alone: the facts of each message loaded once, then every rule's conditions.
    const enabled = (await server.ladder.rules.forEvent('message.created')).map(
      (r) => r.conditions,
    );
    const judged: number[] = [];
    for (const r of refs) {
      const facts = await loadFacts(db, r, new Date());
      if (!facts) continue;
      const a = performance.now();
      for (const c of enabled) conditionsHold(c, facts.values);
      judged.push(performance.now() - a);
    }
    judged.sort((a, b) => a - b);
    console.log(
      `\nrules (${dbName}): ${RULES} enabled on message.created, ${refs.length} messages`,
    );
    console.log(
      `  per message (facts loaded once, every rule judged): p50 ${ms(percentile(times, 50))}, p99 ${ms(percentile(times, 99))}`,
    );
    console.log(
      `  of which judging ${enabled.length} rules' conditions on loaded facts: p50 ${ms(percentile(judged, 50))}, p99 ${ms(percentile(judged, 99))}`,
    );
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
