/**
 * Scale benchmark (`npm run bench:scale`).
 *
 * Seeds a large inbox with set-based SQL (PostgreSQL: 1,000,000 messages in 200,000
 * conversations; PGlite: a tenth of that by default, and it says so), starts the real server as a
 * child process on it and prints p50/p95 of the calls an agent makes all day: lists, a thread,
 * counts, search (a common Persian word, a rare name) and contacts. Then it connects 10,000 web
 * visitors and prints connects/s and the server's memory per socket, and the server's idle RSS
 * empty and seeded. It prints numbers and never fails on them. Knobs (environment):
 *   SCALE_MESSAGES, SCALE_CONVERSATIONS   the seed (defaults above)
 *   SCALE_SAMPLES=60                      calls per measured request
 *   SCALE_VISITORS=10000                  visitor sockets
 *   BENCH_CPU_PROF=1                      profile the measured server and print its hot spots
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { normalizeForSearch } from '../src/search/normalize';
import { percentile } from './protocol';
import {
  CLOCK_TICKS,
  cleanUp,
  createPostgresDatabase,
  int,
  login,
  ms,
  onCleanup,
  printProfile,
  processTicks,
  rssMb,
  sleep,
  startServerChild,
  stopChild,
  type ServerChild,
  type TestDatabase,
} from './throughput.bench';

const databaseUrl = process.env.DATABASE_URL || undefined;
const envInt = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const MESSAGES = envInt('SCALE_MESSAGES', databaseUrl ? 1_000_000 : 100_000);
const CONVERSATIONS = envInt('SCALE_CONVERSATIONS', databaseUrl ? 200_000 : 20_000);
const SAMPLES = envInt('SCALE_SAMPLES', 60);
const VISITORS = envInt('SCALE_VISITORS', 10_000);

// What customers write: "سفارش" (order) is in most of it; the rare name is in one contact only.
const COMMON_WORD = 'سفارش';
const RARE_NAME = 'نیکبخت';
const TEXTS = [
  'سلام، سفارشم کی میرسه؟',
  'کد پیگیری سفارش رو لطفا بفرستید',
  'سفارش من هنوز ارسال نشده',
  'ممنون از پاسخگویی شما',
  'میخواهم سفارشم را لغو کنم',
  'Где мой заказ? Жёлтые ботинки',
  'Спасибо, всё получил',
  'Hello, where is my parcel?',
  'Thank you for the quick answer',
  'رنگ کفش با عکس فرق داشت',
].map((text) => ({ text, search: normalizeForSearch(text) }));
const FIRST = ['علی', 'زهرا', 'مریم', 'رضا', 'سارا', 'Ivan', 'Olga', 'John', 'Anna', 'حسین'];
const LAST = ['احمدی', 'کریمی', 'رضایی', 'Petrov', 'Smirnova', 'Brown', 'موسوی', 'حسینی'];

// ---------------------------------------------------------------------------------------------
// Seeding

interface Sql {
  exec(query: string): Promise<void>;
  rows<T>(query: string): Promise<T[]>;
  close(): Promise<void>;
}

async function openSql(database: TestDatabase, dataDir: string): Promise<Sql> {
  if (database.url) {
    const client = new pg.Client({ connectionString: database.url });
    client.on('error', () => undefined);
    await client.connect();
    return {
      exec: async (q) => void (await client.query(q)),
      rows: async <T>(q: string) => (await client.query(q)).rows as T[],
      close: () => client.end(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const db = await PGlite.create(join(dataDir, 'pgdata'), { extensions: { pg_trgm } });
  return {
    exec: async (q) => void (await db.exec(q)),
    rows: async <T>(q: string) => (await db.query<T>(q)).rows,
    close: () => db.close(),
  };
}

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
const textArray = (values: string[]) => `array[${values.map(literal).join(', ')}]::text[]`;

async function seed(sql: Sql, agentId: string): Promise<void> {
  const [inbox] = await sql.rows<{ id: string }>(
    `select id from inboxes where channel = 'webchat' order by created_at limit 1`,
  );
  const [admin] = await sql.rows<{ id: string }>(
    `select id from users where role = 'admin' order by created_at limit 1`,
  );
  if (!inbox || !admin) throw new Error('no web-chat inbox or admin to seed for');
  const perConversation = Math.max(1, Math.round(MESSAGES / CONVERSATIONS));
  const names = FIRST.flatMap((f) => LAST.map((l) => `${f} ${l}`));
  // Bulk loads build their indexes once at the end, as a restore does.
  const rebuilt = [
    'messages_search_trgm_idx',
    'contacts_search_trgm_idx',
    'messages_created_idx',
    'messages_conversation_idx',
  ];
  const definitions = await sql.rows<{ indexdef: string }>(
    `select indexdef from pg_indexes where indexname in (${rebuilt.map(literal).join(', ')})`,
  );
  await sql.exec(`set maintenance_work_mem = '256MB'`);
  for (const name of rebuilt) await sql.exec(`drop index if exists ${name}`);
  await sql.exec(`
    create temp table seed_contacts as
      select g as n, gen_random_uuid() as id,
             case when g = ${Math.floor(CONVERSATIONS / 2)} then 'کوروش ${RARE_NAME}'
                  else (${textArray(names)})[1 + g % ${names.length}] || ' ' || g end as name
        from generate_series(1, ${CONVERSATIONS}) g;
    insert into contacts (id, name, search_text, created_at, updated_at)
      select id, name, lower(name), now() - (n || ' minutes')::interval,
             now() - (n || ' minutes')::interval
        from seed_contacts;
    insert into contact_identities (contact_id, kind, value)
      select id, 'phone', '+98912' || lpad(n::text, 7, '0') from seed_contacts;
    create temp table seed_conversations as
      select n, gen_random_uuid() as id, id as contact_id,
             now() - (n || ' minutes')::interval as at from seed_contacts;
    insert into conversations (id, inbox_id, contact_id, channel, status, assignee_id, level,
                               message_count, unread_count, last_message_at,
                               last_message_preview, created_at, updated_at)
      select id, ${literal(inbox.id)}, contact_id, 'webchat',
             (case when n % 10 = 0 then 'open' when n % 10 = 1 then 'pending'
                   else 'resolved' end)::conversation_status,
             case when n % 3 = 0 then ${literal(admin.id)}::uuid
                  when n % 3 = 1 then ${literal(agentId)}::uuid end,
             case when n % 97 = 0 then 1 else 0 end,
             ${perConversation}, 0, at + interval '${perConversation} minutes', 'seeded', at, at
        from seed_conversations;
    insert into messages (conversation_id, inbox_id, direction, sender_type, text, search_text,
                          status, created_at, updated_at)
      select v.id, ${literal(inbox.id)},
             (case when k % 2 = 1 then 'in' else 'out' end)::direction,
             (case when k % 2 = 1 then 'contact' else 'user' end)::sender_type,
             (${textArray(TEXTS.map((t) => t.text))})[1 + (v.n * 7 + k) % ${TEXTS.length}],
             (${textArray(TEXTS.map((t) => t.search))})[1 + (v.n * 7 + k) % ${TEXTS.length}],
             (case when k % 2 = 1 then 'received' else 'sent' end)::message_status,
             v.at + (k || ' minutes')::interval, v.at + (k || ' minutes')::interval
        from seed_conversations v cross join generate_series(1, ${perConversation}) k;
  `);
  for (const { indexdef } of definitions) await sql.exec(indexdef);
  // A table that has been live for a while is vacuumed: its visibility map lets counts read
  // the index alone.
  await sql.exec('vacuum analyze');
}

/** Where the time goes: the plans of the queries behind counts and search, as executed. */
async function explain(sql: Sql): Promise<void> {
  const common = `'%${normalizeForSearch(COMMON_WORD)}%'`;
  const rare = `'%${normalizeForSearch(RARE_NAME)}%'`;
  const queries: [string, string][] = [
    [
      'counts (all views, one scan)',
      `select count(*), count(*) filter (where assignee_id is null),
              count(*) filter (where level >= 1)
         from conversations where message_count > 0 and status <> 'resolved'`,
    ],
    [
      'message search, common word',
      `select id from messages where search_text like ${common} order by created_at desc limit 20`,
    ],
    [
      'message search, rare name',
      `select id from messages where search_text like ${rare} order by created_at desc limit 20`,
    ],
    [
      'contact search, rare name',
      `select id from contacts where search_text like ${rare} and merged_into_id is null
        order by updated_at desc limit 20`,
    ],
  ];
  for (const [name, query] of queries) {
    const plan = await sql.rows<Record<string, string>>(`explain (analyze, costs off) ${query}`);
    const lines = plan.map((r) => Object.values(r)[0] ?? '');
    const nodes = lines.filter((l) => /Scan|Sort|Aggregate|Limit/.test(l)).map((l) => l.trim());
    const time = lines.find((l) => l.startsWith('Execution Time')) ?? '';
    console.log(`plan: ${name}: ${nodes.slice(0, 3).join(' ← ')}; ${time}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

const serverRss = (server: ServerChild) => rssMb(server.child.pid);

async function settledRss(server: ServerChild): Promise<number> {
  await sleep(5_000);
  return serverRss(server);
}

async function timed(
  url: string,
  token: string,
  paths: () => string,
): Promise<{ p50: number; p95: number; status: number }> {
  const times: number[] = [];
  let status = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const path = paths();
    const t0 = performance.now();
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    status = res.status;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), status };
}

async function createAgent(url: string, token: string, inboxId: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'scale-agent@example.com',
      name: 'Scale Agent',
      role: 'agent',
      password: 'agent-password-1',
      inboxIds: [inboxId],
    }),
  });
  const body = (await res.json()) as { user?: { id: string } };
  if (!body.user) throw new Error(`could not create the agent: ${res.status}`);
  return body.user.id;
}

async function agentToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'scale-agent@example.com', password: 'agent-password-1' }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function getJson<T>(url: string, token: string, path: string): Promise<T> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as T;
}

async function visitors(url: string, server: ServerChild): Promise<void> {
  const before = serverRss(server);
  const sockets: Socket[] = [];
  const connectOne = () =>
    new Promise<void>((resolve) => {
      const socket = io(`${url}/webchat`, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      const done = () => resolve();
      socket.once('session', done);
      socket.once('connect_error', done);
    });
  const t0 = performance.now();
  const ticks0 = processTicks(server.child.pid);
  const parallel = 100;
  for (let i = 0; i < VISITORS; i += parallel)
    await Promise.all(Array.from({ length: Math.min(parallel, VISITORS - i) }, connectOne));
  const seconds = (performance.now() - t0) / 1000;
  const serverCpu = (processTicks(server.child.pid) - ticks0) / CLOCK_TICKS;
  const connected = sockets.filter((s) => s.connected).length;
  const after = await settledRss(server);
  // The client sockets live in this process and share the two cores with the server: the
  // server's own CPU per connect says what it could take with the clients elsewhere.
  console.log(
    `| server CPU per visitor connect | ${((serverCpu / Math.max(1, connected)) * 1000).toFixed(2)} ms ` +
      `(≈ ${int(connected / Math.max(0.01, serverCpu))} connects/s per core of server time) |`,
  );
  console.log(
    `| visitor sockets connected (${parallel} at a time, websocket) | ${int(connected)} of ${int(VISITORS)} |`,
  );
  console.log(
    `| visitor connects/s (each gets a signed token and its session) | ${int(connected / seconds)} |`,
  );
  console.log(
    `| server memory per visitor socket | ${(((after - before) * 1024) / Math.max(1, connected)).toFixed(1)} KB (RSS ${int(before)} → ${int(after)} MB) |`,
  );
  for (const s of sockets) s.disconnect();
}

async function main(): Promise<void> {
  const database: TestDatabase = databaseUrl
    ? await createPostgresDatabase(databaseUrl)
    : { kind: 'pglite', url: undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-scale-'));
  onCleanup('remove the data dir', async () => rmSync(dataDir, { recursive: true, force: true }));
  const label = database.kind === 'postgres' ? 'PostgreSQL (fresh database)' : 'PGlite (embedded)';
  console.log(
    `Switchboard scale benchmark: ${label}; seed ${int(MESSAGES)} messages in ${int(CONVERSATIONS)} conversations` +
      (database.kind === 'pglite' && !process.env.SCALE_MESSAGES
        ? ' (the smaller PGlite default; PostgreSQL seeds 1,000,000 / 200,000)'
        : ''),
  );

  let server = await startServerChild(database, dataDir);
  const idleEmpty = await settledRss(server);
  let token = await login(server.url);
  const [inbox] = (
    await getJson<{ items: { id: string; channel: string }[] }>(
      server.url,
      token,
      '/api/v1/inboxes',
    )
  ).items.filter((i) => i.channel === 'webchat');
  const agentId = await createAgent(server.url, token, inbox!.id);
  // PGlite is one process's own: the server lets go of it while we seed.
  if (database.kind === 'pglite') await stopChild(server.child, 15_000);

  const t0 = performance.now();
  const sql = await openSql(database, dataDir);
  await seed(sql, agentId);
  await explain(sql);
  await sql.close();
  console.log(
    `seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s (set-based SQL, indexes built after)`,
  );

  if (database.kind === 'postgres') await stopChild(server.child, 15_000);
  server = await startServerChild(database, dataDir);
  const idleSeeded = await settledRss(server);
  token = await login(server.url);
  const agent = await agentToken(server.url);

  const ids = (
    await getJson<{ items: { id: string }[] }>(
      server.url,
      token,
      '/api/v1/conversations?view=all&limit=100',
    )
  ).items.map((c) => c.id);
  const contactIds = (
    await getJson<{ items: { id: string }[] }>(server.url, token, '/api/v1/contacts?limit=100')
  ).items.map((c) => c.id);
  const pick = (list: string[]) => list[Math.floor(Math.random() * list.length)]!;
  const q = (s: string) => encodeURIComponent(s);

  console.log(`\n| call (${SAMPLES} each, one at a time) | p50 ms | p95 ms | status |`);
  console.log('|---|---:|---:|---:|');
  const calls: [string, string, () => string][] = [
    ['list: all open work (admin)', token, () => '/api/v1/conversations?view=all&limit=25'],
    ['list: mine (agent)', agent, () => '/api/v1/conversations?view=mine&limit=25'],
    [
      'list: unassigned, open (agent)',
      agent,
      () => '/api/v1/conversations?view=unassigned&status=open&limit=25',
    ],
    ['conversation', token, () => `/api/v1/conversations/${pick(ids)}`],
    ['thread (messages)', token, () => `/api/v1/conversations/${pick(ids)}/messages`],
    ['counts per view (admin)', token, () => '/api/v1/conversations/counts'],
    ['counts per view (agent)', agent, () => '/api/v1/conversations/counts'],
    [
      `search: common Persian word «${COMMON_WORD}»`,
      token,
      () => `/api/v1/search?q=${q(COMMON_WORD)}`,
    ],
    [`search: rare name «${RARE_NAME}»`, token, () => `/api/v1/search?q=${q(RARE_NAME)}`],
    [`search: common word (agent)`, agent, () => `/api/v1/search?q=${q(COMMON_WORD)}`],
    ['contacts: list', token, () => '/api/v1/contacts?limit=25'],
    ['contacts: by name', token, () => `/api/v1/contacts?q=${q('زهرا کریمی')}&limit=25`],
    ['contact', token, () => `/api/v1/contacts/${pick(contactIds)}`],
  ];
  for (const [name, who, path] of calls) {
    const r = await timed(server.url, who, path);
    console.log(`| ${name} | ${ms(r.p50)} | ${ms(r.p95)} | ${r.status} |`);
  }

  console.log(`\n| visitors and memory | result |`);
  console.log('|---|---|');
  console.log(`| server idle RSS, empty database | ${int(idleEmpty)} MB |`);
  console.log(`| server idle RSS, seeded database | ${int(idleSeeded)} MB |`);
  await visitors(server.url, server);
  await stopChild(server.child, 15_000);
  // BENCH_CPU_PROF=1: where the second server's time went (mostly the visitors' connects).
  printProfile(server.profileDir);
}

main()
  .catch((err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
