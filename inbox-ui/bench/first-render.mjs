// Time to first render of the inbox with many conversations, and scrolling smoothness once all
// of them are loaded. Prints numbers; it is a benchmark, not a test.
//
//   node inbox-ui/bench/first-render.mjs [conversations=10000] [runs=5]
//
// It builds the app, starts the real server on a free port with a temporary DATA_DIR, creates
// the conversations the way customers do (one web-chat visitor each, over socket.io), then loads
// the inbox in headless Chromium and reads the app's `sb:first-row` performance mark (set one
// animation frame after the first row is committed, i.e. when it is painted) relative to the
// start of navigation. Only 127.0.0.1 is contacted.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { io } from 'socket.io-client';
import { buildAll } from '../../scripts/build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const total = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 5);
const ADMIN = { email: 'bench@example.com', password: 'bench-password-1' };
const out = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line) => process.stderr.write(`\r${line}   `);
let stopping = false;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        address && typeof address === 'object'
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function startServer(dataDir) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`\nthe server exited (code ${code}, signal ${signal})\n`);
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

/** One visitor, one message: one new conversation. */
function visitorWrites(url, text) {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/webchat`, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    // A transport error after the work is done must not take the whole run down.
    socket.io.on('error', () => {});
    const timer = setTimeout(() => {
      socket.disconnect();
      reject(new Error('visitor timed out'));
    }, 30_000);
    socket.once('session', async () => {
      const ack = await socket.emitWithAck('message', { text });
      clearTimeout(timer);
      socket.disconnect();
      if (ack?.error) reject(new Error(ack.error.message));
      else resolve();
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function seed(url, count, concurrency = 24) {
  const samples = [
    'Where is my order?',
    'سلام، سفارش من کی می‌رسد؟',
    'Здравствуйте, хочу вернуть товар.',
    'Can I change my delivery address?',
    'The payment went through twice.',
  ];
  let next = 0;
  let done = 0;
  const started = Date.now();
  async function worker() {
    while (next < count) {
      const i = next++;
      for (let attempt = 1; ; attempt++) {
        try {
          await visitorWrites(url, `${samples[i % samples.length]} (#${i + 1})`);
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
      done++;
      if (done % 250 === 0)
        progress(
          `seeding ${done}/${count} (${Math.round(done / ((Date.now() - started) / 1000))}/s)`,
        );
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.stderr.write('\n');
  return Date.now() - started;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] ?? NaN;
};

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
let server;
let browser;
try {
  progress('building…');
  await buildAll();
  server = await startServer(dataDir);
  const seedMs = await seed(server.url, total);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const login = await context.request.post(`${server.url}/api/v1/auth/login`, { data: ADMIN });
  if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
  const counts = await (
    await context.request.get(`${server.url}/api/v1/conversations/counts`)
  ).json();

  const firstRow = [];
  const fcp = [];
  const listApi = [];
  for (let run = 0; run < runs; run++) {
    const page = await context.newPage();
    await page.goto(`${server.url}/#/inbox/all`);
    await page.waitForFunction(
      () => performance.getEntriesByName('sb:first-row').length > 0,
      null,
      { timeout: 30_000 },
    );
    const m = await page.evaluate(() => ({
      firstRow: performance.getEntriesByName('sb:first-row')[0]?.startTime ?? NaN,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
      listApi:
        performance
          .getEntriesByType('resource')
          .find((r) => r.name.includes('/api/v1/conversations?'))?.duration ?? NaN,
    }));
    firstRow.push(m.firstRow);
    fcp.push(m.fcp);
    listApi.push(m.listApi);
    if (run < runs - 1) await page.close();
  }

  // Load every page into the list by scrolling, then measure frames while scrolling through it.
  const page = context.pages().at(-1);
  const loadStarted = Date.now();
  for (;;) {
    const loaded = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="conversation-list"]');
      el.scrollTop = el.scrollHeight;
      return Number(el.dataset.count);
    });
    const more = await page.evaluate(() => !!document.querySelector('.list__status'));
    progress(`loading the list: ${loaded} rows`);
    if (loaded >= total && !more) break;
    if (Date.now() - loadStarted > 600_000) break;
    await page.waitForTimeout(50);
  }
  process.stderr.write('\n');
  const loadAllMs = Date.now() - loadStarted;
  const scroll = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const el = document.querySelector('[data-testid="conversation-list"]');
        el.scrollTop = 0;
        const frames = [];
        let last = performance.now();
        let rows = 0;
        let n = 0;
        function step(now) {
          frames.push(now - last);
          last = now;
          el.scrollTop += 240;
          rows = Math.max(rows, el.querySelectorAll('[data-testid="conversation-row"]').length);
          if (++n < 400) requestAnimationFrame(step);
          else resolve({ frames: frames.slice(1), rows, count: Number(el.dataset.count) });
        }
        requestAnimationFrame(step);
      }),
  );

  out(`Switchboard inbox: first render with ${total.toLocaleString('en')} conversations`);
  out(
    `  seeded in ${(seedMs / 1000).toFixed(1)} s through /webchat (counts: all=${counts.all}, unassigned=${counts.unassigned})`,
  );
  out(`  runs: ${runs}, viewport 1280x800, headless Chromium`);
  out(
    `  first row painted (navigation start → sb:first-row): median ${median(firstRow).toFixed(0)} ms, all [${firstRow.map((x) => x.toFixed(0)).join(', ')}]`,
  );
  out(`  first contentful paint:                           median ${median(fcp).toFixed(0)} ms`);
  out(`  first list page (50 rows) API response:          median ${median(listApi).toFixed(0)} ms`);
  out(
    `  loading all ${scroll.count} rows by scrolling (paged, 50 per request): ${(loadAllMs / 1000).toFixed(1)} s`,
  );
  out(
    `  scrolling the full list, 400 frames: frame time p50 ${pct(scroll.frames, 50).toFixed(1)} ms, p95 ${pct(scroll.frames, 95).toFixed(1)} ms, max ${Math.max(...scroll.frames).toFixed(1)} ms; rows in the DOM at most ${scroll.rows}`,
  );
} finally {
  await browser?.close();
  stopping = true;
  server?.child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
