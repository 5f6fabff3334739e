/**
 * Throughput benchmark (`npm run bench`).
 *
 * Starts the real server as a child process (PGlite in a temp dir, or a fresh database on the
 * PostgreSQL server in DATABASE_URL), connects 50 agent sockets and many visitor sockets from a
 * second child process (bench/load-client.ts), sends visitor messages at a rising rate and prints,
 * per step, the rate achieved and the latency from a visitor's send to the agents'
 * `message.created`. Then, in the same run, it measures plain single-row INSERTs of the same
 * messages through the same driver: the database's own limit on this machine.
 *
 * It prints numbers and never fails on them. Knobs (environment):
 *   BENCH_RATES=250,500,…     target messages/s per step (default depends on the database)
 *   BENCH_STEP_SECONDS=5      length of each step
 *   BENCH_RETRIES=1           a failing rate is tried again this many times
 *   BENCH_NOISY_RETRIES=3     failed steps disturbed by other processes re-run (in total)
 *   BENCH_REFINE=3            bisection steps after the first failing step
 *   BENCH_AGENTS=50           agent sockets
 *   BENCH_VISITORS=200        minimum visitor sockets (more are added as the rate rises)
 *   BENCH_MAX_P99_MS=1000     a step with a slower p99 (send → all agents) fails
 *   BENCH_DRAIN_SECONDS=10    how long to wait for a step's stragglers
 *   BENCH_WARMUP_SECONDS=5    unreported warm-up at half the first rate
 *   BENCH_BASELINE_SECONDS=5  length of the INSERT baseline
 *   BENCH_TIMEOUT_SECONDS=240 hard stop
 *   BENCH_CPU_PROF=1          run the server under --cpu-prof and print its hot spots
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { summarizeProfile } from './cpu-profile';
import {
  isChildMessage,
  type ChildMessage,
  type LoadConfig,
  type Percentiles,
  type StepResult,
} from './protocol';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(benchDir, '..');
const ADMIN_EMAIL = 'bench@example.com';
const ADMIN_PASSWORD = 'bench-password-1';
/** The server's pg.Pool size (src/db/client.ts): the baseline uses the same concurrency. */
const SERVER_POOL_SIZE = 20;

const PG_RATES = [250, 500, 1000, 1500, 2000, 3000, 4000];
const PGLITE_RATES = [100, 250, 500, 750, 1000, 1500];

// ---------------------------------------------------------------------------------------------
// Settings

function envNumber(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) {
    console.error(`bench: ${name}=${raw} is not a number ≥ ${min}; using ${fallback}`);
    return fallback;
  }
  return value;
}

function envRates(fallback: number[]): number[] {
  const raw = process.env.BENCH_RATES;
  if (!raw) return fallback;
  const rates = raw
    .split(',')
    .map((r) => Number(r.trim()))
    .filter((r) => Number.isFinite(r) && r > 0);
  return rates.length ? rates : fallback;
}

export const databaseUrl = process.env.DATABASE_URL || undefined;
export const settings = {
  rates: envRates(databaseUrl ? PG_RATES : PGLITE_RATES),
  stepSeconds: envNumber('BENCH_STEP_SECONDS', 5, 1),
  agents: Math.round(envNumber('BENCH_AGENTS', 50, 1)),
  minVisitors: Math.round(envNumber('BENCH_VISITORS', 200, 1)),
  maxP99Ms: envNumber('BENCH_MAX_P99_MS', 1000, 1),
  drainSeconds: envNumber('BENCH_DRAIN_SECONDS', 10, 0),
  refineSteps: Math.round(envNumber('BENCH_REFINE', 3, 0)),
  retries: Math.round(envNumber('BENCH_RETRIES', 1, 0)),
  noisyRetries: Math.round(envNumber('BENCH_NOISY_RETRIES', 3, 0)),
  baselineSeconds: envNumber('BENCH_BASELINE_SECONDS', 5, 1),
  warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 5, 0),
  timeoutSeconds: envNumber('BENCH_TIMEOUT_SECONDS', 240, 10),
  cpuProfile: ['1', 'true', 'yes'].includes((process.env.BENCH_CPU_PROF ?? '').toLowerCase()),
};

// ---------------------------------------------------------------------------------------------
// Clean-up: everything we start registers how to undo it; it runs once, newest first.

const cleanups: { name: string; run: () => Promise<void> }[] = [];
let cleaning: Promise<void> | undefined;
/** Set on SIGINT/SIGTERM: the run stops where it is and only cleans up. */
let interrupted = false;

/** Every child we started: killed outright should this process die without cleaning up. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export function onCleanup(name: string, run: () => Promise<void>): void {
  cleanups.push({ name, run });
}

export function cleanUp(): Promise<void> {
  return (cleaning ??= (async () => {
    for (const { name, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (err) {
        console.error(`bench: clean-up "${name}" failed: ${(err as Error).message}`);
      }
    }
  })());
}

// ---------------------------------------------------------------------------------------------
// Small helpers

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([
    exited(child).then(() => true),
    sleep(graceMs).then(() => false),
  ]);
  if (!done) {
    child.kill('SIGKILL');
    await exited(child);
  }
}

/** Forwards a child's output to our stderr, prefixed, and stops after a few lines. */
function relay(stream: NodeJS.ReadableStream | null, prefix: string, maxLines = 20): void {
  if (!stream) return;
  let lines = 0;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      // The server logs each 503 from /healthz while it migrates; that is us polling.
      if (/"url":"\/healthz"/.test(line) && /"status":503/.test(line)) continue;
      lines++;
      if (lines <= maxLines) process.stderr.write(`${prefix} ${line.slice(0, 500)}\n`);
      else if (lines === maxLines + 1)
        process.stderr.write(`${prefix} … (further output hidden)\n`);
    }
  });
}

// CPU use from /proc (Linux): per process and for the whole machine, in clock ticks.
export const CLOCK_TICKS = 100;

export function processTicks(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 0, utime 11, stime 12.
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return Number.NaN;
  }
}

/** All local processes with this command name (PostgreSQL backends, WAL writer, …). */
export function commandTicks(command: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return Number.NaN;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== command) continue;
      const fields = stat.slice(close + 2).split(' ');
      total += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export function machineTicks(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

interface CpuSnapshot {
  at: number;
  server: number;
  load: number;
  db: number;
  self: number;
  machine: { busy: number; total: number };
}

/**
 * Percent of one core, each: the server, the load generator, the local PostgreSQL processes
 * (NaN with PGlite, which runs inside the server) and the rest of the machine.
 */
export interface CpuUse {
  server: number;
  load: number;
  db: number;
  rest: number;
}

function snapshot(server: ChildProcess, load: ChildProcess, postgres: boolean): CpuSnapshot {
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    server: processTicks(server.pid),
    load: processTicks(load.pid),
    db: postgres ? commandTicks('postgres') : Number.NaN,
    self: (self.user + self.system) / 1e6,
    machine: machineTicks(),
  };
}

function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  const seconds = (b.at - a.at) / 1000;
  const pct = (ticks: number) => (ticks / CLOCK_TICKS / seconds) * 100;
  const server = pct(b.server - a.server);
  const load = pct(b.load - a.load);
  const db = pct(b.db - a.db);
  const self = ((b.self - a.self) / seconds) * 100;
  const machine = pct(b.machine.busy - a.machine.busy);
  const rest = machine - server - load - self - (Number.isNaN(db) ? 0 : db);
  return { server, load, db, rest: Math.max(0, rest) };
}

export const ms = (v: number) =>
  Number.isNaN(v)
    ? '–'
    : v === Number.POSITIVE_INFINITY
      ? '∞'
      : v < 10
        ? v.toFixed(1)
        : v.toFixed(0);
export const pair = (p: Percentiles) => `${ms(p.p50)} / ${ms(p.p99)}`;
export const int = (v: number) =>
  Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '–';
export const pct = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)}%` : '–');

// ---------------------------------------------------------------------------------------------
// The database under test

export interface TestDatabase {
  kind: 'postgres' | 'pglite';
  /** For the server child: the fresh database's URL, or undefined for PGlite. */
  url: string | undefined;
}

export async function createPostgresDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `sb_bench_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  onCleanup(`drop database ${name}`, async () => {
    const dropper = new pg.Client({ connectionString: adminUrl });
    dropper.on('error', () => undefined);
    await dropper.connect();
    try {
      await dropper.query(`drop database if exists ${name} with (force)`);
    } finally {
      await dropper.end();
    }
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { kind: 'postgres', url: url.toString() };
}

// ---------------------------------------------------------------------------------------------
// The server child

export interface ServerChild {
  child: ChildProcess;
  url: string;
  profileDir: string | undefined;
}

export async function startServerChild(
  database: TestDatabase,
  dataDir: string,
  extraEnv: (port: number) => NodeJS.ProcessEnv = () => ({}),
): Promise<ServerChild> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  // Pass through the basics only: no channel, Redis or other settings from our environment.
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SystemRoot', 'DATABASE_POOL_SIZE']) {
    if (process.env[key] !== undefined) env[key] = process.env[key];
  }
  Object.assign(env, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
  });
  if (database.url) env.DATABASE_URL = database.url;
  Object.assign(env, extraEnv(port));
  let profileDir: string | undefined;
  const nodeArgs = ['--import', 'tsx'];
  if (settings.cpuProfile) {
    profileDir = mkdtempSync(join(tmpdir(), 'switchboard-throughput-prof-'));
    nodeArgs.unshift('--cpu-prof', `--cpu-prof-dir=${profileDir}`);
  }
  const child = spawn(process.execPath, [...nodeArgs, 'src/server.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  onCleanup('stop the server', () => stopChild(child, 15_000));
  relay(child.stdout, '[server]');
  relay(child.stderr, '[server]');
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return { child, url, profileDir };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error('the server did not become healthy within 90 s');
}

export async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  const body: unknown = await res.json();
  const token =
    typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined;
  if (res.status !== 200 || typeof token !== 'string')
    throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  return token;
}

// ---------------------------------------------------------------------------------------------
// The socket run

export interface StepRow {
  result: StepResult;
  cpu: CpuUse | undefined;
}

export const COLUMNS: [string, number][] = [
  ['target/s', 8],
  ['visitors', 8],
  ['sent', 7],
  ['acked/s', 8],
  ['all-agents/s', 12],
  ['ack p50/p99', 13],
  ['1st agent p50/p99', 17],
  ['last agent p50/p99', 18],
  ['err', 4],
  ['cpu srv/load/db/other', 21],
  ['result', 6],
];

/** CPU (% of one core) used by unrelated processes above which a step's numbers are suspect. */
const NOISY_PCT = 25;

const MARK: Record<StepResult['kind'], string> = { ladder: '', retry: '²', refine: '*' };

export function printRow(cells: string[]): void {
  console.log(cells.map((c, i) => c.padStart(COLUMNS[i]?.[1] ?? 0)).join('  '));
}

function printStep({ result: r, cpu }: StepRow): void {
  printRow([
    int(r.rate),
    int(r.visitors),
    int(r.sent),
    int(r.ackRate),
    int(r.deliveredRate),
    pair(r.ack),
    pair(r.firstAgent),
    pair(r.lastAgent),
    int(r.errors),
    cpu ? [cpu.server, cpu.load, cpu.db, cpu.rest].map(pct).join('/') : '–',
    `${r.passed ? 'ok' : 'FAIL'}${MARK[r.kind]}`,
  ]);
  if (!r.passed) console.log(`          ↳ ${r.failure ?? ''}`);
  if (r.errorSample) console.log(`          ↳ first error: ${r.errorSample.slice(0, 200)}`);
  if (r.loadLoopP99Ms > 50 || r.drainMs > 1000)
    console.log(
      `          ↳ load generator event-loop delay p99 ${ms(r.loadLoopP99Ms)} ms; ` +
        `drain ${ms(r.drainMs)} ms; backlog at window end ${int(r.backlog)}`,
    );
  if (cpu && cpu.rest > NOISY_PCT)
    console.log(
      `          ↳ noisy: other processes used ${pct(cpu.rest)} of a core during this step`,
    );
}

export async function runLoad(
  server: ServerChild,
  token: string,
  overrides: Partial<LoadConfig> = {},
): Promise<{
  steps: StepRow[];
  conversationIds: string[];
  fatal: string | undefined;
}> {
  const load = fork(join(benchDir, 'load-client.ts'), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Structured clone: Infinity ("never arrived") and NaN survive, JSON would make them null.
    serialization: 'advanced',
  });
  children.add(load);
  onCleanup('stop the load generator', () => stopChild(load, 5_000));
  const config: LoadConfig = {
    url: server.url,
    token,
    agents: settings.agents,
    rates: settings.rates,
    stepSeconds: settings.stepSeconds,
    minVisitors: settings.minVisitors,
    perVisitorRate: 2.5,
    drainSeconds: settings.drainSeconds,
    maxP99Ms: settings.maxP99Ms,
    warmupSeconds: settings.warmupSeconds,
    warmupRate: Math.max(10, Math.round((settings.rates[0] ?? 100) / 2)),
    refineSteps: settings.refineSteps,
    retries: settings.retries,
    noisyRetries: settings.noisyRetries,
    ...overrides,
  };
  const steps: StepRow[] = [];
  const starts = new Map<number, CpuSnapshot>();
  const postgres = Boolean(databaseUrl);
  const cpu = new Map<number, CpuUse>();
  let conversationIds: string[] = [];
  let fatal: string | undefined;

  await new Promise<void>((resolveRun) => {
    const onMessage = (raw: unknown) => {
      try {
        handle(raw);
      } catch (err) {
        console.error(`bench: could not handle a report: ${(err as Error).stack ?? String(err)}`);
      }
    };
    const handle = (raw: unknown) => {
      if (!isChildMessage(raw)) return;
      const message: ChildMessage = raw;
      switch (message.type) {
        case 'ready':
          console.log(
            `connected ${message.agents} agent and ${message.visitors} visitor sockets ` +
              `in ${(message.connectMs / 1000).toFixed(1)} s; warming up ` +
              `${settings.warmupSeconds} s at ${config.warmupRate} msg/s (not reported)\n`,
          );
          printRow(COLUMNS.map(([name]) => name));
          break;
        case 'visitors':
          console.log(
            `          (visitor sockets now ${message.visitors}, ` +
              `connected in ${(message.connectMs / 1000).toFixed(1)} s)`,
          );
          break;
        case 'step-start':
          starts.set(message.index, snapshot(server.child, load, postgres));
          break;
        case 'step-window-end': {
          const start = starts.get(message.index);
          if (start)
            cpu.set(message.index, cpuBetween(start, snapshot(server.child, load, postgres)));
          break;
        }
        case 'step': {
          const row = { result: message.result, cpu: cpu.get(message.result.index) };
          steps.push(row);
          printStep(row);
          load.send({
            type: 'verdict',
            index: message.result.index,
            noisy: (row.cpu?.rest ?? 0) > NOISY_PCT,
          });
          break;
        }
        case 'done':
          conversationIds = message.conversationIds;
          break;
        case 'fatal':
          fatal = message.message;
          break;
      }
    };
    load.on('message', onMessage);
    load.once('exit', () => resolveRun());
    load.send({ type: 'start', config });
  });
  return { steps, conversationIds, fatal };
}

// ---------------------------------------------------------------------------------------------
// The baseline: plain single-row INSERTs of the same messages through the same driver

const BASELINE_TABLE = `create table if not exists bench_messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid,
  text text,
  created_at timestamptz default now()
)`;
const VERSION = "select current_setting('server_version') as v";
const INSERT = 'insert into bench_messages (conversation_id, text) values ($1, $2)';

export interface Baseline {
  label: string;
  version: string;
  concurrency: number;
  rate: number;
  sequentialRate: number | undefined;
}

/** Runs `insert` on `concurrency` loops for `seconds`; returns completed calls per second. */
async function timedLoop(
  seconds: number,
  concurrency: number,
  insert: (n: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  let done = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await insert(next++);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

function sameMessages(conversationIds: string[]): (n: number) => [string, string] {
  const ids = conversationIds.length ? conversationIds : ['00000000-0000-4000-8000-000000000000'];
  return (n) => [ids[n % ids.length]!, `bench ${n}`];
}

export async function postgresBaseline(url: string, conversationIds: string[]): Promise<Baseline> {
  const pool = new pg.Pool({ connectionString: url, max: SERVER_POOL_SIZE });
  // An idle connection closed under us (the database being dropped) must not crash the run.
  pool.on('error', () => undefined);
  try {
    const message = sameMessages(conversationIds);
    const version = (await pool.query<{ v: string }>(VERSION)).rows[0]?.v ?? '?';
    await pool.query(BASELINE_TABLE);
    const insert = (n: number) => pool.query(INSERT, message(n));
    await timedLoop(0.5, SERVER_POOL_SIZE, insert); // connect the pool, warm the plan
    const rate = await timedLoop(settings.baselineSeconds, SERVER_POOL_SIZE, insert);
    const sequentialRate = await timedLoop(Math.max(1, settings.baselineSeconds / 2), 1, (n) =>
      insert(n + 10_000_000),
    );
    return {
      label: `node-postgres pg.Pool, ${SERVER_POOL_SIZE} in flight`,
      version: `PostgreSQL ${version}`,
      concurrency: SERVER_POOL_SIZE,
      rate,
      sequentialRate,
    };
  } finally {
    await pool.end();
  }
}

export async function pgliteBaseline(conversationIds: string[]): Promise<Baseline> {
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-throughput-pglite-'));
  onCleanup('remove the baseline PGlite dir', async () =>
    rmSync(dir, { recursive: true, force: true }),
  );
  // The same way the server opens it (src/db/client.ts): a directory on disk.
  const db = await PGlite.create(join(dir, 'pgdata'));
  try {
    const message = sameMessages(conversationIds);
    const version = (await db.query<{ v: string }>(VERSION)).rows[0]?.v ?? '?';
    await db.exec(BASELINE_TABLE);
    const insert = (n: number) => db.query(INSERT, message(n));
    await timedLoop(0.5, 1, insert);
    const rate = await timedLoop(settings.baselineSeconds, 1, insert);
    return {
      label: 'PGlite, one connection, sequential',
      version: `PGlite (PostgreSQL ${version})`,
      concurrency: 1,
      rate,
      sequentialRate: undefined,
    };
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Summary

export function printProfile(dir: string | undefined): void {
  if (!dir || !existsSync(dir)) return;
  // One file per thread (tsx runs a loader thread); the main thread's is by far the largest.
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  if (!file) {
    console.log(`\n(no CPU profile was written to ${dir})`);
    return;
  }
  const path = join(dir, file);
  const profile = summarizeProfile(path, 20);
  console.log(
    `\nServer CPU profile (whole run, busy ${(profile.busyMs / 1000).toFixed(1)} s of ` +
      `${(profile.totalMs / 1000).toFixed(1)} s): ${path}`,
  );
  console.log('  by package / source folder (self time):');
  for (const h of profile.modules)
    console.log(`    ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
  console.log('  by function (self time):');
  for (const h of profile.functions)
    console.log(`    ${(h.share * 100).toFixed(1).padStart(5)}%  ${h.name}`);
}

/** The figures issue 14 started from (README), printed beside this run's. */
const BEFORE = {
  postgres: { sustained: '1,200 msg/s', p99at500: '–', idleRss: '~190 MB' },
  pglite: { sustained: '750 msg/s', p99at500: '96 ms', idleRss: '~860 MB' },
};

/** Resident memory of a process (Linux), in MB; NaN where /proc cannot say. */
export function rssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

function printSummary(
  database: TestDatabase,
  steps: StepRow[],
  baseline: Baseline | undefined,
  fatal: string | undefined,
  idleRss: number,
): void {
  const before = BEFORE[database.kind];
  const passed = steps.filter((s) => s.result.passed);
  const best = passed.reduce<StepResult | undefined>(
    (a, s) => (!a || s.result.rate > a.rate ? s.result : a),
    undefined,
  );
  const sustained = best?.rate ?? 0;
  const peak = steps.length ? Math.max(...steps.map((s) => s.result.deliveredRate)) : 0;
  const at500 = steps.find((s) => s.result.rate === 500)?.result;
  const pgTarget = database.kind === 'postgres';
  // Issue 14's targets: PostgreSQL ≥ 2,000 msg/s, PGlite ≥ 1,000; both p99 < 50 ms at 500/s.
  const targetRate = pgTarget ? 2000 : 1000;
  const dbLabel = baseline?.version ?? (pgTarget ? 'PostgreSQL' : 'PGlite');
  const ratio = baseline && baseline.rate > 0 ? sustained / baseline.rate : Number.NaN;
  const cores = cpus();

  console.log('\n## Summary\n');
  if (fatal) console.log(`(the load generator stopped early: ${fatal})\n`);
  console.log(
    `Machine: ${cores.length} × ${cores[0]?.model.trim() ?? '?'}, ` +
      `${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; database: ${dbLabel} ` +
      `on the same machine; server, load generator and database share the cores.\n`,
  );
  console.log(`| ${dbLabel} | result |`);
  console.log('|---|---|');
  console.log(
    `| sustained (highest step with ≥ 95 % acked and delivered to all ${settings.agents} agents, ` +
      `p99 < ${settings.maxP99Ms} ms, no loss) | **${int(sustained)} msg/s**` +
      `${best ? ` (achieved ${int(Math.min(best.ackRate, best.deliveredRate))})` : ''}; ` +
      `before issue 14: ${before.sustained} |`,
  );
  console.log(`| peak delivered to all agents in any step | ${int(peak)} msg/s |`);
  if (at500) {
    console.log(
      `| latency at 500 msg/s, send → first agent, p50 / p99 | ${pair(at500.firstAgent)} ms |`,
    );
    console.log(
      `| latency at 500 msg/s, send → all ${settings.agents} agents, p50 / p99 | ` +
        `${pair(at500.lastAgent)} ms; p99 before issue 14: ${before.p99at500} |`,
    );
    console.log(`| latency at 500 msg/s, send → ack, p50 / p99 | ${pair(at500.ack)} ms |`);
  } else {
    console.log('| latency at 500 msg/s | not reached |');
  }
  if (baseline) {
    console.log(
      `| plain single-row INSERTs, same messages (${baseline.label}) | ${int(baseline.rate)} rows/s |`,
    );
    if (baseline.sequentialRate !== undefined)
      console.log(
        `| plain single-row INSERTs, one at a time | ${int(baseline.sequentialRate)} rows/s |`,
      );
    console.log(
      `| ratio: sustained ÷ INSERT rate | ${Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)} %` : '–'} |`,
    );
  }
  console.log(
    `| server idle RSS after start (before the load) | ${int(idleRss)} MB; ` +
      `before issue 14: ${before.idleRss} |`,
  );
  const p99at500 = at500?.lastAgent.p99 ?? Number.NaN;
  const targetLine = pgTarget
    ? `| target: ≥ 2,000 msg/s sustained; p99 < 50 ms at 500 msg/s | ` +
      `${sustained >= targetRate ? 'met' : 'not met'}; ${p99at500 < 50 ? 'met' : 'not met'} |`
    : `| target: ≥ 1,000 msg/s sustained; p99 < 50 ms at 500 msg/s | ` +
      `${sustained >= targetRate ? 'met' : 'not met'}; ${p99at500 < 50 ? 'met' : 'not met'} |`;
  console.log(targetLine);

  console.log('\nPer step:\n');
  console.log(
    `| target msg/s | visitor sockets | acked msg/s | delivered to all ${settings.agents} agents msg/s | ` +
      'send → first agent p50 / p99 ms | send → all agents p50 / p99 ms | errors | ' +
      'CPU server / load gen / db / other | result |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  const byRate = steps.slice().sort((a, b) => a.result.rate - b.result.rate);
  for (const { result: r, cpu } of byRate) {
    console.log(
      `| ${int(r.rate)}${MARK[r.kind]} | ${int(r.visitors)} | ${int(r.ackRate)} | ${int(r.deliveredRate)} | ` +
        `${pair(r.firstAgent)} | ${pair(r.lastAgent)} | ${int(r.errors)} | ` +
        `${cpu ? [cpu.server, cpu.load, cpu.db, cpu.rest].map(pct).join(' / ') : '–'} | ` +
        `${r.passed ? 'ok' : `fail: ${r.failure ?? ''}`}` +
        `${cpu && cpu.rest > NOISY_PCT ? ' (noisy)' : ''} |`,
    );
  }
  console.log(
    `\n${settings.stepSeconds} s per step (² = retried, * = bisection step); rates counted after the first ` +
      `${Math.min(1, settings.stepSeconds / 5)} s of each step; CPU in % of one core ` +
      `(${cores.length * 100}% = all cores); db = all local \`postgres\` processes` +
      `${database.kind === 'pglite' ? ' (none: PGlite runs inside the server)' : ''}; ` +
      `other = the rest of the machine (noisy: other > ${NOISY_PCT}%).`,
  );
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const hardStop = setTimeout(() => {
    console.error(`bench: still running after ${settings.timeoutSeconds} s; stopping`);
    void cleanUp().then(() => process.exit(1));
  }, settings.timeoutSeconds * 1000);
  hardStop.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`bench: ${signal}; cleaning up`);
      void cleanUp().then(() => process.exit(130));
    });
  }

  const before = machineTicks();
  await sleep(1000);
  const after = machineTicks();
  const busyBefore = ((after.busy - before.busy) / CLOCK_TICKS) * 100;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const noisy = busyBefore > 25;
  console.log(
    `machine before the run: ${pct(busyBefore)} of one core busy, load average ${load}` +
      (noisy ? ' — other work is running; expect noisy numbers' : ''),
  );

  const database: TestDatabase = databaseUrl
    ? await createPostgresDatabase(databaseUrl)
    : { kind: 'pglite', url: undefined };
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-throughput-'));
  onCleanup('remove the data dir', async () => rmSync(dataDir, { recursive: true, force: true }));

  console.log(
    `Switchboard throughput benchmark: ${database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL, fresh database)' : 'PGlite (embedded)'}; ` +
      `${settings.agents} agent sockets; steps ${settings.rates.join(', ')} msg/s × ` +
      `${settings.stepSeconds} s${settings.cpuProfile ? '; server under --cpu-prof' : ''}`,
  );
  const started = performance.now();
  const server = await startServerChild(database, dataDir);
  console.log(
    `server up in ${((performance.now() - started) / 1000).toFixed(1)} s at ${server.url}`,
  );
  const token = await login(server.url);
  await sleep(3_000);
  const idleRss = rssMb(server.child.pid);

  const { steps, conversationIds, fatal } = await runLoad(server, token);
  if (interrupted) return;

  // The server goes first: the baseline must not share the machine (or PGlite's dir) with it.
  await stopChild(server.child, 15_000);
  console.log(`\nbaseline: plain single-row INSERTs for ${settings.baselineSeconds} s …`);
  let baseline: Baseline | undefined;
  try {
    baseline = database.url
      ? await postgresBaseline(database.url, conversationIds)
      : await pgliteBaseline(conversationIds);
  } catch (err) {
    console.error(`bench: the baseline failed: ${(err as Error).message}`);
  }

  printSummary(database, steps, baseline, fatal, idleRss);
  printProfile(server.profileDir);
  console.log(`\n(total ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

// Run when started as a script; other benchmarks import the pieces above.
const isMain = process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain)
  main()
    .catch((err: unknown) => {
      console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    })
    .finally(() => cleanUp());
