/**
 * SMS webhook benchmark (`npm run bench:sms`, also the second half of `npm run bench`).
 *
 * Starts the real server as a child process with an SMS inbox from TWILIO_* variables (PGlite in
 * a temp dir, or a fresh database on the PostgreSQL server in DATABASE_URL), connects 50 agent
 * sockets, and POSTs signed Twilio SMS webhooks (X-Twilio-Signature made with the twilio
 * library, as Twilio does) from many distinct numbers at a rising rate. Per step it prints the
 * webhooks answered per second, the webhook response time (send → 200 with TwiML), and the time
 * until every agent socket had the `message.created`. Then, in the same run, the plain
 * single-row INSERT rate through the same driver (bench/throughput.bench.ts's baseline) and the
 * ratio. It prints numbers and never fails on them. Knobs (environment):
 *   BENCH_SMS_RATES=250,500,…   target webhooks/s per step (default depends on the database)
 *   BENCH_STEP_SECONDS=5        length of each step
 *   BENCH_AGENTS=50             agent sockets
 *   BENCH_SMS_NUMBERS=20000     distinct customer numbers the messages come from
 *   BENCH_MAX_P99_MS=1000       a step whose webhook p99 (or all-agents p99) is slower fails
 *   BENCH_DRAIN_SECONDS=10      how long to wait for a step's stragglers
 *   BENCH_BASELINE_SECONDS=5    length of the INSERT baseline
 *   BENCH_CPU_PROF=1            run the server under --cpu-prof and print its hot spots
 */
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import twilio from 'twilio';
import { summarize, type Percentiles } from './protocol';
import {
  cleanUp,
  commandTicks,
  createPostgresDatabase,
  login,
  machineTicks,
  onCleanup,
  pgliteBaseline,
  postgresBaseline,
  printProfile,
  processTicks,
  sleep,
  startServerChild,
  stopChild,
  type Baseline,
  type TestDatabase,
} from './throughput.bench';

const ACCOUNT = `AC${'b'.repeat(32)}`;
const TOKEN = 'bench-auth-token-0123456789abcdef';
const NUMBER = '+15555550100';
const PREFIX = 'sms-bench ';

function envNumber(name: string, fallback: number, min = 0): number {
  const value = Number(process.env[name] ?? '');
  return process.env[name] && Number.isFinite(value) && value >= min ? value : fallback;
}

const databaseUrl = process.env.DATABASE_URL || undefined;
const rates = (process.env.BENCH_SMS_RATES ?? '')
  .split(',')
  .map(Number)
  .filter((r) => Number.isFinite(r) && r > 0);
const settings = {
  rates: rates.length
    ? rates
    : databaseUrl
      ? [250, 500, 750, 1000, 1250, 1500, 2000]
      : [100, 250, 500, 750, 1000],
  stepSeconds: envNumber('BENCH_STEP_SECONDS', 5, 1),
  agents: Math.round(envNumber('BENCH_AGENTS', 50, 1)),
  numbers: Math.round(envNumber('BENCH_SMS_NUMBERS', 20_000, 1)),
  maxP99Ms: envNumber('BENCH_MAX_P99_MS', 1000, 1),
  drainSeconds: envNumber('BENCH_DRAIN_SECONDS', 10, 0),
};

const origin = process.hrtime.bigint();
const now = () => Number(process.hrtime.bigint() - origin) / 1e6;

// One slot per message: when it was sent, answered, first and last seen by the agents.
const sentAt: number[] = [];
const answeredAt: number[] = [];
const firstAt: number[] = [];
const lastAt: number[] = [];
const seenBy: number[] = [];
let failures = 0;
let firstFailure: string | undefined;
let agentCount = 0;

function onAgentMessage(payload: unknown): void {
  const t = now();
  const text = (payload as { message?: { text?: unknown } } | undefined)?.message?.text;
  if (typeof text !== 'string' || !text.startsWith(PREFIX)) return;
  const id = Number(text.slice(PREFIX.length));
  if (!Number.isInteger(id) || id < 0 || id >= sentAt.length) return;
  const seen = (seenBy[id] ?? 0) + 1;
  seenBy[id] = seen;
  if (seen === 1) firstAt[id] = t;
  if (seen === agentCount) lastAt[id] = t;
}

function connectAgent(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/agent`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { token },
    });
    socket.on('message.created', onAgentMessage);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

// Keep-alive connections, as Twilio's webhook client keeps them; node:http costs the load side
// far less than fetch, which would otherwise be the first limit on two shared cores.
const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: keepAlive,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The fields of an inbound SMS as Twilio posts them, from one of many numbers. */
function webhook(n: number): Record<string, string> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const from = `+1202${String(5_000_000 + (n % settings.numbers)).padStart(7, '0')}`;
  return {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: `${PREFIX}${n}`,
    To: NUMBER,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: ACCOUNT,
    From: from,
    ApiVersion: '2010-04-01',
  };
}

interface Step {
  rate: number;
  sent: number;
  answeredRate: number;
  deliveredRate: number;
  response: Percentiles;
  lastAgent: Percentiles;
  failures: number;
  lost: number;
  passed: boolean;
  why: string | undefined;
  cpu: { server: number; db: number; bench: number; other: number };
}

async function runStep(url: string, signUrl: string, rate: number, warmup = false): Promise<Step> {
  const start = sentAt.length;
  const failuresBefore = failures;
  const seconds = warmup ? 3 : settings.stepSeconds;
  const before = {
    at: performance.now(),
    server: processTicks(serverPid),
    db: databaseUrl ? commandTicks('postgres') : Number.NaN,
    self: process.cpuUsage(),
    machine: machineTicks(),
  };
  const t0 = now();
  const end = t0 + seconds * 1000;
  const inFlight: Promise<void>[] = [];
  let due = 0;
  while (now() < end) {
    due = Math.floor(((now() - t0) / 1000) * rate);
    while (sentAt.length - start < due) {
      const n = sentAt.length;
      const params = webhook(n);
      const signature = twilio.getExpectedTwilioSignature(TOKEN, signUrl, params);
      sentAt[n] = now();
      inFlight.push(
        post(url, new URLSearchParams(params).toString(), {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signature,
        }).then(
          (res) => {
            if (res.status === 200) answeredAt[n] = now();
            else {
              failures++;
              firstFailure ??= `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
            }
          },
          (err: unknown) => {
            failures++;
            firstFailure ??= (err as Error).message;
          },
        ),
      );
    }
    await sleep(5);
  }
  const windowEnd = now();
  const after = {
    at: performance.now(),
    server: processTicks(serverPid),
    db: databaseUrl ? commandTicks('postgres') : Number.NaN,
    self: process.cpuUsage(before.self),
    machine: machineTicks(),
  };
  // Stragglers: answers and agent deliveries still on their way.
  const drainEnd = now() + settings.drainSeconds * 1000;
  await Promise.race([Promise.all(inFlight), sleep(settings.drainSeconds * 1000)]);
  while (now() < drainEnd) {
    let missing = false;
    for (let i = start; i < sentAt.length; i++)
      if (answeredAt[i] !== undefined && lastAt[i] === undefined) missing = true;
    if (!missing) break;
    await sleep(50);
  }
  const ids = Array.from({ length: sentAt.length - start }, (_, k) => start + k);
  const measured = seconds - Math.min(1, seconds / 5);
  const counted = (at: number | undefined) =>
    at !== undefined && at >= t0 + (seconds - measured) * 1000 && at <= windowEnd;
  const response = summarize(ids.map((i) => (answeredAt[i] ?? Infinity) - sentAt[i]!));
  const lastAgent = summarize(ids.map((i) => (lastAt[i] ?? Infinity) - sentAt[i]!));
  const lost = ids.filter((i) => answeredAt[i] === undefined || lastAt[i] === undefined).length;
  const answeredRate = ids.filter((i) => counted(answeredAt[i])).length / measured;
  const deliveredRate = ids.filter((i) => counted(lastAt[i])).length / measured;
  const secondsCpu = (after.at - before.at) / 1000;
  const pct = (ticks: number) => (ticks / 100 / secondsCpu) * 100;
  const server = pct(after.server - before.server);
  const db = pct(after.db - before.db);
  const bench = ((after.self.user + after.self.system) / 1e6 / secondsCpu) * 100;
  const other = Math.max(
    0,
    pct(after.machine.busy - before.machine.busy) - server - bench - (Number.isNaN(db) ? 0 : db),
  );
  const stepFailures = failures - failuresBefore;
  const why =
    stepFailures > 0
      ? `${stepFailures} webhooks failed (${firstFailure ?? ''})`
      : lost > 0
        ? `${lost} messages never reached every agent`
        : answeredRate < rate * 0.95
          ? `answered ${answeredRate.toFixed(0)}/s < 95 % of ${rate}/s`
          : response.p99 > settings.maxP99Ms
            ? `webhook p99 ${response.p99.toFixed(0)} ms`
            : lastAgent.p99 > settings.maxP99Ms
              ? `all-agents p99 ${lastAgent.p99.toFixed(0)} ms`
              : undefined;
  return {
    rate,
    sent: ids.length,
    answeredRate,
    deliveredRate,
    response,
    lastAgent,
    failures: stepFailures,
    lost,
    passed: why === undefined,
    why,
    cpu: { server, db, bench, other },
  };
}

let serverPid: number | undefined;

const ms = (v: number) => (Number.isFinite(v) ? (v < 10 ? v.toFixed(1) : v.toFixed(0)) : '∞');
const pctText = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)}%` : '–');

async function main(): Promise<void> {
  const database: TestDatabase = databaseUrl
    ? await createPostgresDatabase(databaseUrl)
    : { kind: 'pglite', url: undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-sms-bench-'));
  onCleanup('remove the data dir', async () => rmSync(dataDir, { recursive: true, force: true }));
  console.log(
    `Switchboard SMS webhook benchmark: ${database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL, fresh database)' : 'PGlite (embedded)'}; ` +
      `${settings.agents} agent sockets; ${settings.numbers.toLocaleString('en-US')} customer numbers; ` +
      `steps ${settings.rates.join(', ')} webhooks/s × ${settings.stepSeconds} s`,
  );
  const server = await startServerChild(database, dataDir, () => ({
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_PHONE_NUMBER: NUMBER,
    // Nothing is sent in this benchmark; a closed loopback port keeps it that way.
    TWILIO_API_BASE: 'http://127.0.0.1:9',
  }));
  serverPid = server.child.pid;
  const token = await login(server.url);
  const agents: Socket[] = [];
  for (let i = 0; i < settings.agents; i++) agents.push(await connectAgent(server.url, token));
  agentCount = agents.length;
  onCleanup('close the agent sockets', async () => agents.forEach((a) => a.close()));
  const path = '/webhooks/twilio/sms';
  const url = `${server.url}${path}`;
  // The server's PUBLIC_URL defaults to http://localhost:<port>: Twilio would sign that.
  const signUrl = `${server.url.replace('127.0.0.1', 'localhost')}${path}`;

  await runStep(url, signUrl, Math.max(10, Math.round((settings.rates[0] ?? 100) / 2)), true);
  console.log(
    '\n target/s  answered/s  all-agents/s  webhook p50/p99 ms  all agents p50/p99 ms  failed  lost  cpu srv/db/bench/other  result',
  );
  const steps: Step[] = [];
  for (const rate of settings.rates) {
    let step = await runStep(url, signUrl, rate);
    if (!step.passed) step = await runStep(url, signUrl, rate); // a neighbour's burst is not our limit
    steps.push(step);
    console.log(
      [
        String(rate).padStart(9),
        step.answeredRate.toFixed(0).padStart(10),
        step.deliveredRate.toFixed(0).padStart(13),
        `${ms(step.response.p50)} / ${ms(step.response.p99)}`.padStart(19),
        `${ms(step.lastAgent.p50)} / ${ms(step.lastAgent.p99)}`.padStart(22),
        String(step.failures).padStart(7),
        String(step.lost).padStart(5),
        [step.cpu.server, step.cpu.db, step.cpu.bench, step.cpu.other]
          .map(pctText)
          .join('/')
          .padStart(24),
        step.passed ? '  ok' : `  FAIL: ${step.why ?? ''}`,
      ].join(' '),
    );
    if (!step.passed) break;
  }
  agents.forEach((a) => a.close());
  keepAlive.destroy();
  await stopChild(server.child, 15_000);

  console.log(`\nbaseline: plain single-row INSERTs …`);
  let baseline: Baseline | undefined;
  try {
    baseline = database.url ? await postgresBaseline(database.url, []) : await pgliteBaseline([]);
  } catch (err) {
    console.error(`bench: the baseline failed: ${(err as Error).message}`);
  }
  const best = steps.filter((s) => s.passed).at(-1);
  const sustained = best?.rate ?? 0;
  const target = database.kind === 'postgres' ? 1000 : 500;
  const cores = cpus();
  console.log('\n## Summary\n');
  console.log(
    `Machine: ${cores.length} × ${cores[0]?.model.trim() ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
      `Node ${process.version}; database: ${baseline?.version ?? database.kind}; server, load and database share the cores.\n`,
  );
  console.log(`| ${baseline?.version ?? database.kind} | SMS webhooks |`);
  console.log('|---|---|');
  console.log(
    `| sustained (highest step: ≥ 95 % answered 200, every message on all ${agentCount} agent sockets, p99 < ${settings.maxP99Ms} ms) | **${sustained.toLocaleString('en-US')} webhooks/s** |`,
  );
  if (best) {
    console.log(
      `| webhook response at that rate, p50 / p99 | ${ms(best.response.p50)} / ${ms(best.response.p99)} ms |`,
    );
    console.log(
      `| send → all agents at that rate, p50 / p99 | ${ms(best.lastAgent.p50)} / ${ms(best.lastAgent.p99)} ms |`,
    );
    console.log(
      `| CPU at that rate: server / database / load / other | ${[best.cpu.server, best.cpu.db, best.cpu.bench, best.cpu.other].map(pctText).join(' / ')} of one core |`,
    );
  }
  if (baseline) {
    console.log(
      `| plain single-row INSERTs (${baseline.label}) | ${Math.round(baseline.rate).toLocaleString('en-US')} rows/s |`,
    );
    console.log(
      `| ratio: sustained ÷ INSERT rate | ${((sustained / baseline.rate) * 100).toFixed(1)} % |`,
    );
  }
  console.log(
    `| target: ≥ ${target.toLocaleString('en-US')} webhooks/s | ${sustained >= target ? 'met' : 'not met'} |`,
  );
  printProfile(server.profileDir);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void cleanUp().then(() => process.exit(130)));

main()
  .catch((err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
