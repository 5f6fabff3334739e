/**
 * E-mail benchmark (`npm run bench:email`, part of `npm run bench`).
 *
 * Starts a private Dovecot (test/helpers/mail/dovecot-server.ts; needs root and dovecot-imapd),
 * an SMTP sink (for the inbox's "test connection") and the real server as a child process
 * (PGlite in a temp dir, or a fresh database on the PostgreSQL server in DATABASE_URL). Then two
 * phases, each timed from its start until the last message is visible in the API:
 *
 *   first sync  BENCH_EMAIL_MESSAGES (10,000) mails are APPENDed to the mailbox, then the inbox is
 *               created: the receiver takes the whole window in (its progress is on the inbox's
 *               health).
 *   live        BENCH_EMAIL_LIVE (10,000) more are APPENDed while the receiver IDLEs (here the
 *               APPEND rate bounds the result: the time after the last APPEND is printed too).
 *
 * It prints mails/s, the server's CPU (and PostgreSQL's and Dovecot's), the server's RSS over
 * the run (memory must stay flat: mail is streamed in batches, never held), and beside it the
 * plain single-row INSERT rate of the same database. It prints numbers and never fails on them.
 *
 *   BENCH_EMAIL_MESSAGES=10000  mails in the mailbox before the first sync
 *   BENCH_EMAIL_LIVE=10000      mails appended while IDLE
 *   BENCH_EMAIL_CUSTOMERS=2000  distinct senders (each writes a thread of several mails)
 *   BENCH_BASELINE_SECONDS=5    length of the INSERT baseline
 *   BENCH_TIMEOUT_SECONDS=900   hard stop
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDovecot } from '../test/helpers/mail/dovecot-server';
import { startSmtpSink } from '../test/helpers/mail/smtp-sink';
import {
  cleanUp,
  commandTicks,
  createPostgresDatabase,
  login,
  onCleanup,
  pgliteBaseline,
  postgresBaseline,
  processTicks,
  sleep,
  startServerChild,
  stopChild,
  type Baseline,
  type TestDatabase,
} from './throughput.bench';

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const settings = {
  messages: envNumber('BENCH_EMAIL_MESSAGES', 10_000),
  live: envNumber('BENCH_EMAIL_LIVE', 10_000),
  customers: envNumber('BENCH_EMAIL_CUSTOMERS', 2_000),
  timeoutSeconds: envNumber('BENCH_TIMEOUT_SECONDS', 900),
};
const databaseUrl = process.env.DATABASE_URL || undefined;
const CLOCK_TICKS = 100;

const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–');
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function rssKb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** A realistic small mail: customers write threads (Re: on the same subject), some in Persian. */
function mail(n: number, marker: string): string {
  const customer = n % settings.customers;
  const step = Math.floor(n / settings.customers);
  const persian = customer % 5 === 0;
  const subject = persian ? `پیگیری سفارش ${customer}` : `Order ${customer} question`;
  const text = persian
    ? `سلام، سفارش ${customer} هنوز نرسیده است. پیام ${n} (ref ${marker}x${n})`
    : `Hello, this is message ${n} about order ${customer} (ref ${marker}x${n}).\n\n> an older quote`;
  return [
    `From: Customer ${customer} <customer${customer}@bench.example.org>`,
    'To: Support <support@example.com>',
    `Subject: ${step ? 'Re: ' : ''}=?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <bench-${marker}-${n}@bench.example.org>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    text,
    '',
  ].join('\r\n');
}

/**
 * APPENDs mails over one raw IMAP connection, pipelined with LITERAL+ (RFC 7888): no round trip
 * per message, so the mailbox fills as fast as Dovecot stores (imapflow waits for each one).
 */
async function appendAll(
  target: { host: string; port: number; user: string; password: string },
  from: number,
  count: number,
  marker: string,
): Promise<void> {
  const socket = connect(target.port, target.host);
  socket.setNoDelay(true);
  let received = '';
  const waitFor = (pattern: RegExp) =>
    new Promise<string>((resolveWait, reject) => {
      const check = () => {
        const match = pattern.exec(received);
        if (!match) return false;
        socket.off('data', onData);
        socket.off('error', reject);
        resolveWait(match[0]);
        return true;
      };
      const onData = (chunk: Buffer) => {
        received = (received + chunk.toString('latin1')).slice(-4096);
        check();
      };
      if (check()) return;
      socket.on('data', onData);
      socket.once('error', reject);
    });
  try {
    await waitFor(/\* OK/);
    socket.write(`l LOGIN "${target.user}" "${target.password}"\r\n`);
    if (!(await waitFor(/l (OK|NO|BAD)/)).endsWith('OK')) throw new Error('APPEND: login refused');
    for (let i = 0; i < count; i++) {
      const body = Buffer.from(mail(from + i, marker));
      const chunk = Buffer.concat([
        Buffer.from(`a${i} APPEND INBOX {${body.length}+}\r\n`),
        body,
        Buffer.from('\r\n'),
      ]);
      if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
    }
    const last = await waitFor(new RegExp(`a${count - 1} (OK|NO|BAD)`));
    if (!last.endsWith('OK')) throw new Error(`APPEND failed: ${last}`);
    socket.write('z LOGOUT\r\n');
  } finally {
    socket.end();
  }
}

interface Sample {
  at: number;
  rssKb: number;
  visible: number;
}

async function api<T>(url: string, token: string, path: string, init: RequestInit = {}) {
  const res = await fetch(`${url}/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Whether the API shows the phase's last message (found by its unique reference). */
async function lastVisible(url: string, token: string, marker: string, last: number) {
  const res = await api<{ messages: { message: { text: string } }[] }>(
    url,
    token,
    `/search?q=${encodeURIComponent(`${marker}x${last}`)}&limit=5`,
  );
  return res.body.messages?.some((m) => m.message.text.includes(`${marker}x${last})`)) ?? false;
}

async function progress(url: string, token: string, inboxId: string): Promise<number> {
  const res = await api<{ health?: { detail?: { imported?: number } } }>(
    url,
    token,
    `/inboxes/${inboxId}`,
  );
  return res.body.health?.detail?.imported ?? 0;
}

interface PhaseResult {
  name: string;
  count: number;
  seconds: number;
  serverCpu: number;
  dbCpu: number;
  dovecotCpu: number;
  samples: Sample[];
}

async function phase(
  name: string,
  count: number,
  serverPid: number | undefined,
  postgres: boolean,
  run: (sample: () => Sample) => Promise<void>,
): Promise<PhaseResult> {
  const start = performance.now();
  const ticks = {
    server: processTicks(serverPid),
    db: postgres ? commandTicks('postgres') : Number.NaN,
    dovecot: commandTicks('imap'),
  };
  const samples: Sample[] = [];
  const sample = () => {
    const s = { at: (performance.now() - start) / 1000, rssKb: rssKb(serverPid), visible: 0 };
    samples.push(s);
    return s;
  };
  await run(sample);
  const seconds = (performance.now() - start) / 1000;
  const pct = (a: number, b: number) => ((b - a) / CLOCK_TICKS / seconds) * 100;
  return {
    name,
    count,
    seconds,
    serverCpu: pct(ticks.server, processTicks(serverPid)),
    dbCpu: postgres ? pct(ticks.db, commandTicks('postgres')) : Number.NaN,
    dovecotCpu: pct(ticks.dovecot, commandTicks('imap')),
    samples,
  };
}

function printPhase(r: PhaseResult): void {
  const rate = r.count / r.seconds;
  console.log(
    `\n${r.name}: ${int(r.count)} mails in ${r.seconds.toFixed(1)} s = ${int(rate)} mails/s; ` +
      `CPU (% of one core): server ${r.serverCpu.toFixed(0)}%` +
      (Number.isNaN(r.dbCpu) ? '' : `, PostgreSQL ${r.dbCpu.toFixed(0)}%`) +
      `, Dovecot ${r.dovecotCpu.toFixed(0)}%`,
  );
  const rss = r.samples.map((s) => s.rssKb).filter((v) => Number.isFinite(v));
  if (rss.length) {
    const every = Math.max(1, Math.floor(r.samples.length / 8));
    const line = r.samples
      .filter((_, i) => i % every === 0 || i === r.samples.length - 1)
      .map((s) => `${s.at.toFixed(0)}s: ${mb(s.rssKb)}${s.visible ? ` (${int(s.visible)})` : ''}`)
      .join(', ');
    console.log(`  server RSS over the run (imported so far): ${line}`);
    console.log(`  RSS min ${mb(Math.min(...rss))}, max ${mb(Math.max(...rss))}`);
  }
}

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    console.error(`bench: still running after ${settings.timeoutSeconds} s; stopping`);
    void cleanUp().then(() => process.exit(1));
  }, settings.timeoutSeconds * 1000);
  hardStop.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanUp().then(() => process.exit(130)));

  const dovecot = await startDovecot();
  onCleanup('stop Dovecot', () => dovecot.stop());
  // Dovecot without fsync: its disk flushes would make APPEND, not the server, the bottleneck.
  appendFileSync(dovecot.configPath, '\nmail_fsync = never\n');
  execFileSync('doveadm', ['-c', dovecot.configPath, 'reload']);
  await sleep(300);
  const user = `bench${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  writeFileSync(join(dovecot.passwdDir, user), `${user}:{PLAIN}${password}::::::\n`, {
    mode: 0o644,
  });
  const target = { host: dovecot.host, port: dovecot.port, user, password };
  const imapUrl = `imap://${user}:${password}@${dovecot.host}:${dovecot.port}/INBOX`;
  const sink = await startSmtpSink();
  onCleanup('stop the SMTP sink', () => sink.close());

  const database: TestDatabase = databaseUrl
    ? await createPostgresDatabase(databaseUrl)
    : { kind: 'pglite', url: undefined };
  const postgres = database.kind === 'postgres';
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-email-bench-'));
  onCleanup('remove the data dir', async () => rmSync(dataDir, { recursive: true, force: true }));
  console.log(
    `Switchboard e-mail benchmark: ${postgres ? 'PostgreSQL (DATABASE_URL, fresh database)' : 'PGlite (embedded)'}; ` +
      `Dovecot ${dovecot.version}; ${int(settings.messages)} mails for the first sync, ` +
      `${int(settings.live)} while IDLE, ${int(settings.customers)} customers`,
  );

  const marker1 = randomBytes(3).toString('hex');
  const started = performance.now();
  await appendAll(target, 0, settings.messages, marker1);
  console.log(
    `APPENDed ${int(settings.messages)} mails in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
      '(one pipelined IMAP connection)',
  );

  const server = await startServerChild(database, dataDir, () => ({
    RECEIVER_TICK_SECONDS: '0.5',
    LOG_LEVEL: 'warn',
  }));
  const token = await login(server.url);
  const pid = server.child.pid;
  console.log(`server up; RSS ${mb(rssKb(pid))} before the first sync`);

  let inboxId = '';
  const first = await phase('first sync', settings.messages, pid, postgres, async (sample) => {
    const res = await api<{ id: string }>(server.url, token, '/inboxes', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Bench mail',
        channel: 'email',
        settings: {
          imapUrl,
          smtpUrl: sink.smtpUrl,
          from: 'Support <support@example.com>',
          firstSyncDays: 30,
        },
      }),
    });
    if (res.status !== 201) throw new Error(`inbox: ${res.status} ${JSON.stringify(res.body)}`);
    inboxId = res.body.id;
    for (;;) {
      const s = sample();
      s.visible = await progress(server.url, token, inboxId);
      if (
        s.visible >= settings.messages &&
        (await lastVisible(server.url, token, marker1, settings.messages - 1))
      )
        return;
      await sleep(500);
    }
  });
  printPhase(first);

  const marker2 = randomBytes(3).toString('hex');
  let appendedAfter = Number.NaN;
  const live = await phase('live (IDLE)', settings.live, pid, postgres, async (sample) => {
    const appending = appendAll(target, settings.messages, settings.live, marker2);
    let appended = false;
    const liveStart = performance.now();
    void appending.then(() => {
      appended = true;
      appendedAfter = (performance.now() - liveStart) / 1000;
    });
    for (;;) {
      sample();
      if (
        appended &&
        (await lastVisible(server.url, token, marker2, settings.messages + settings.live - 1))
      )
        break;
      await sleep(500);
    }
    await appending;
  });
  printPhase(live);
  console.log(
    `  the last APPEND finished after ${appendedAfter.toFixed(1)} s; the last mail was visible ` +
      `${(live.seconds - appendedAfter).toFixed(1)} s later`,
  );

  const counts = await api<{ all: number }>(server.url, token, '/conversations/counts');
  console.log(`\nconversations: ${int(counts.body.all)} (customers: ${int(settings.customers)})`);

  await stopChild(server.child, 15_000);
  console.log(`\nbaseline: plain single-row INSERTs …`);
  let baseline: Baseline | undefined;
  try {
    baseline = database.url ? await postgresBaseline(database.url, []) : await pgliteBaseline([]);
  } catch (err) {
    console.error(`bench: the baseline failed: ${(err as Error).message}`);
  }

  console.log('\n| measure | value |\n|---|---|');
  console.log(`| database | ${baseline?.version ?? (postgres ? 'PostgreSQL' : 'PGlite')} |`);
  console.log(
    `| first sync, ${int(first.count)} mails | ${int(first.count / first.seconds)} mails/s |`,
  );
  console.log(
    `| live IDLE, ${int(live.count)} mails | ${int(live.count / live.seconds)} mails/s |`,
  );
  console.log(
    `| server CPU (first sync / live) | ${first.serverCpu.toFixed(0)}% / ${live.serverCpu.toFixed(0)}% of one core |`,
  );
  const rss = [...first.samples, ...live.samples].map((s) => s.rssKb).filter(Number.isFinite);
  if (rss.length)
    console.log(
      `| server RSS during the run | ${mb(Math.min(...rss))} – ${mb(Math.max(...rss))} |`,
    );
  if (baseline)
    console.log(`| plain single-row INSERTs (${baseline.label}) | ${int(baseline.rate)} rows/s |`);
}

main()
  .catch((err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
