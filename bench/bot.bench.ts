/**
 * The bot under load (`npm run bench:bot`): BENCH_CONVERSATIONS web-chat conversations (1,000)
 * with the bot at once. Each customer answers the bot's last reply after a think time (uniform
 * in 0.5–1.5 × BENCH_THINK_MS, so 1,000 customers thinking 10 s offer 100 turns/s), with the
 * menu's first choice or a question the knowledge base answers. Printed: bot turns/s and the
 * turn latency from the customer's message going in to the bot's reply being queued (p50/p99),
 * and the cost next to ingest alone: the same customers, pace and messages with the bot off, as
 * CPU time of this process per customer message. Each phase's durable work (the ladder's
 * listeners of every message, deliveries) is waited for and counted in that phase.
 * BENCH_THINK_MS=0 makes every customer answer at once: the saturation throughput.
 *
 *   BENCH_SECONDS=20  BENCH_CONVERSATIONS=1000  BENCH_THINK_MS=10000  BENCH_WARMUP_SECONDS=12
 *   (the warm-up: 1.2 think times, so every customer has said hello before the window opens)
 *   DATABASE_URL=…    a fresh database is created on that server (and dropped afterwards)
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/logger';
import { startServer, type RunningServer } from '../src/server';
import { botKbEntries, inboxes } from '../src/db/schema';
import { queryRows } from '../src/db/rows';
import { createTestStorage } from '../test/helpers/database';
import { percentile } from './protocol';
import { ConversationState, MemoryStorage } from 'botbuilder-core';
import { SwitchboardAdapter } from '../src/bot/adapter';
import { SwitchboardBot } from '../src/bot/bot';
import type { BotPorts } from '../src/bot/ports';
import { mergeTexts } from '../src/bot/texts';
import { takeTurn } from '../src/bot/turn-kit';
import pg from 'pg';

/** Statements sent to PostgreSQL (each one a round trip and a write to the socket). */
let statements = 0;
const sqlSeen = new Map<string, number>();
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  if (process.env.BENCH_DEBUG) {
    const first = args[0];
    const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text;
    const key = (text ?? '?').replace(/\s+/g, ' ').slice(0, 90);
    sqlSeen.set(key, (sqlSeen.get(key) ?? 0) + 1);
  }
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 1000);
const thinkMs = Number(process.env.BENCH_THINK_MS ?? 10_000);
// Every customer has said hello (spread over one think time) before the window opens.
const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? Math.max(5, (1.2 * thinkMs) / 1000));
/**
 * A customer's pause before answering. Not cut at the end of the window: customers who wake
 * after it just stop (cutting every pause at the end would wake them all at once, a herd).
 */
const think = () =>
  thinkMs > 0 ? new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random()))) : null;
/** A turn whose reply has not come by then is counted as missed (and the customer goes on). */
const REPLY_TIMEOUT_MS = 120_000;
let missed = 0;
/** Bot replies queued so far (every conversation's), for the rate while the queue is long. */
let botReplies = 0;
/** Turns the ingesting process left to the worker (its safety net): should stay 0. */
let turnsLeft = 0;
/** BENCH_DEBUG: turns over 50 ms, as "when: ingest ms + reply ms". */
const slowTurns: string[] = [];
const benchStart = performance.now();

/** What each customer says after hello, round and round: the menu's first choice, a question. */
const SCRIPT = ['1', 'How long does delivery take?'];

interface Phase {
  count: number;
  latencies: number[];
  elapsed: number;
  cpuMs: number;
  /** Statements sent to PostgreSQL (0 on PGlite, which is not counted). */
  statements: number;
}

async function main(): Promise<void> {
  const storage = await createTestStorage();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: storage.dataDir,
    ADMIN_EMAIL: 'bench@example.com',
    ADMIN_PASSWORD: 'bench-password-1',
    DELIVERY_POLL_MS: '200',
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
  });
  const server = await startServer(config, createLogger(process.env.BENCH_LOG ?? 'error'), {
    print: () => undefined,
  });
  try {
    const [row] = await queryRows<{ id: string }>(
      server.database.db,
      sql`select id from inboxes where channel = 'webchat' limit 1`,
    );
    const inboxId = row!.id;
    await server.database.db.insert(botKbEntries).values({
      questions: { en: ['How long does delivery take?'], ru: ['Сколько идёт доставка?'] },
      answers: { en: 'Two to four working days.', ru: 'Два–четыре рабочих дня.' },
    });

    // Bot replies are "queued" when their message.created event fires (after commit).
    const waiting = new Map<string, () => void>();
    server.events.on('message.created', ({ conversationId, message }) => {
      if (message.senderType !== 'bot' || message.private) return;
      botReplies++;
      const done = waiting.get(conversationId);
      if (done) {
        waiting.delete(conversationId);
        done();
      }
    });

    // BENCH_ONLY=bot|ingest runs one phase (to profile one side alone).
    const only = process.env.BENCH_ONLY;
    const ingestAlone = only === 'bot' ? null : await run(server, inboxId, false, waiting);
    const withBot = only === 'ingest' ? null : await run(server, inboxId, true, waiting);

    const rate = (r: Phase) => (r.count / r.elapsed) * 1000;
    const cpu = (r: Phase) => r.cpuMs / r.count;
    const perMessage = (r: Phase) => (r.statements / r.count).toFixed(1);
    const db = storage.databaseUrl ? 'PostgreSQL' : 'PGlite';
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const p50p99 = (r: Phase) =>
      `p50 ${ms(percentile(r.latencies, 50))}, p99 ${ms(percentile(r.latencies, 99))}`;
    const pace = thinkMs > 0 ? `each customer thinking ~${thinkMs / 1000} s` : 'no think time';
    console.log(`\nbot, ${conversations} web-chat conversations at once, ${pace} (${db})`);
    if (withBot) {
      console.log(
        `  bot turns: ${rate(withBot).toFixed(0)}/s; message in → bot reply queued ${p50p99(withBot)}; CPU ${cpu(withBot).toFixed(2)} ms per turn`,
      );
      if (turnsLeft)
        console.log(`  turns left to the worker's safety net (not taken at once): ${turnsLeft}`);
      if (missed)
        console.log(
          `  turns without a reply within ${REPLY_TIMEOUT_MS / 1000} s (left out of the rate and latencies): ${missed}`,
        );
    }
    if (ingestAlone)
      console.log(
        `  ingest alone (bot off): ${rate(ingestAlone).toFixed(0)} messages/s; ${p50p99(ingestAlone)}; CPU ${cpu(ingestAlone).toFixed(2)} ms per message`,
      );
    if (withBot && ingestAlone) {
      console.log(
        `  CPU of this process per customer message: ${cpu(ingestAlone).toFixed(2)} ms ingest alone, ${cpu(withBot).toFixed(2)} ms with the bot (+${((cpu(withBot) / cpu(ingestAlone) - 1) * 100).toFixed(0)} %)`,
      );
      if (storage.databaseUrl)
        console.log(
          `  statements to PostgreSQL per customer message: ${perMessage(ingestAlone)} ingest alone, ${perMessage(withBot)} with the bot`,
        );
      const dialog = await dialogAlone();
      console.log(
        `  the dialog alone (botbuilder in memory, no database, no sockets): ${dialog.toFixed(2)} ms CPU per turn (${((dialog / cpu(ingestAlone)) * 100).toFixed(0)} % of ingest alone)`,
      );
    }
  } finally {
    await server.stop();
    await storage.cleanup();
  }
}

/**
 * Every customer sends, waits for what it waits for (the bot's reply, or its message stored),
 * and sends the next; warm-up first, then BENCH_SECONDS measured.
 */
async function run(
  server: RunningServer,
  inboxId: string,
  bot: boolean,
  waiting: Map<string, () => void>,
): Promise<Phase> {
  await server.database.db.update(inboxes).set({ botEnabled: bot }).where(eq(inboxes.id, inboxId));
  const live = await server.host.get(inboxId);
  const inbox = { ...live!.inbox, botEnabled: bot, threaded: false };
  let n = 0;
  const customers = Array.from({ length: conversations }, () => ({
    visitor: randomUUID(),
    turn: 0,
  }));
  const say = async (c: (typeof customers)[number]) => {
    const text = c.turn === 0 ? 'hello' : SCRIPT[(c.turn - 1) % SCRIPT.length]!;
    c.turn++;
    const t0 = performance.now();
    let replied: Promise<void> | undefined;
    const message = {
      sender: { kind: 'webchat' as const, value: c.visitor },
      providerMessageId: `${c.visitor}:${++n}`,
      text,
      attachments: [],
      profile: { language: 'en' },
    };
    if (!bot) {
      await server.ingest.ingest(inbox, message);
      return performance.now() - t0;
    }
    // The conversation id is known after the first ingest; register before the bot can answer.
    const stored = server.ingest.ingest(inbox, message).then((r) => {
      replied = new Promise<void>((resolve) => waiting.set(r.conversation.id, resolve));
    });
    await stored;
    const storedAt = performance.now();
    const timedOut = await Promise.race([
      replied!.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), REPLY_TIMEOUT_MS)),
    ]);
    if (timedOut) {
      missed++;
      return null;
    }
    const total = performance.now() - t0;
    if (process.env.BENCH_DEBUG && total > 50)
      slowTurns.push(
        `${((t0 - benchStart) / 1000).toFixed(1)}s ${(storedAt - t0).toFixed(0)}+${(performance.now() - storedAt).toFixed(0)}`,
      );
    return total;
  };
  // One continuous run: the customers keep their own pace from the warm-up into the measured
  // window (stopping and restarting them all would start the window with a thundering herd).
  const latencies: number[] = [];
  const started = performance.now();
  const measureFrom = started + warmup * 1000;
  const end = measureFrom + seconds * 1000;
  let count = 0;
  let cpu0 = process.cpuUsage();
  let replies0 = botReplies;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  let statements0 = statements;
  const window = setTimeout(() => {
    statements0 = statements;
    sqlSeen.clear();
    cpu0 = process.cpuUsage();
    replies0 = botReplies;
    loopDelay.enable();
  }, measureFrom - started);
  const progress = process.env.BENCH_DEBUG
    ? setInterval(() => console.log(`${bot ? 'bot' : 'ingest'}: ${count} done`), 2000)
    : undefined;
  await Promise.all(
    customers.map(async (c) => {
      // Customers start spread over one think time, not all in the same millisecond.
      if (thinkMs > 0) await new Promise((r) => setTimeout(r, Math.random() * thinkMs));
      while (performance.now() < end) {
        const t0 = performance.now();
        const latency = await say(c);
        // A turn not answered in time is counted apart, not as a turn done.
        if (latency !== null && t0 >= measureFrom) {
          latencies.push(latency);
          count++;
        }
        await think();
      }
    }),
  );
  clearTimeout(window);
  clearInterval(progress);
  // The phase's durable work (the ladder's listeners, deliveries, the bot's own turns) is part
  // of its cost: wait until nothing due is left, so the next phase starts clean.
  await drained(server);
  const used = process.cpuUsage(cpu0);
  const sent = statements - statements0;
  loopDelay.disable();
  if (process.env.BENCH_DEBUG)
    console.log(
      [...sqlSeen]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([q, k]) => `${String(k).padStart(7)}  ${q}`)
        .join('\n'),
    );
  const [left] = await queryRows<{ n: number }>(
    server.database.db,
    sql`select count(*)::int as n from jobs where kind = 'event' and key like 'bot:%'`,
  );
  turnsLeft += left?.n ?? 0;
  if (process.env.BENCH_DEBUG) console.log('slow turns:', slowTurns.splice(0).join(' | '));
  if (process.env.BENCH_DEBUG)
    console.log(
      `${bot ? 'bot' : 'ingest'}: event-loop delay p50 ${(loopDelay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, max ${(loopDelay.max / 1e6).toFixed(1)} ms`,
    );
  return {
    // With the bot: replies queued in the window, whichever turn they answered.
    count: bot ? botReplies - replies0 : count,
    latencies: latencies.sort((a, b) => a - b),
    // Turns are started only inside the window: its length is the time they were offered in.
    elapsed: end - measureFrom,
    cpuMs: (used.user + used.system) / 1000,
    statements: sent,
  };
}

/**
 * The floor of the bot's own cost: the same script through the same bot and dialogs, state in
 * botbuilder's MemoryStorage and ports answering from memory.
 */
async function dialogAlone(): Promise<number> {
  const ports: BotPorts = {
    texts: async (l) => mergeTexts(l, {}),
    answer: async () => 'Two to four working days.',
    findOrder: async () => null,
    categories: async () => [],
    rememberLanguage: async () => undefined,
    openComplaint: async () => ({ reference: 'C-0', dueAt: null }),
    hours: async () => ({ openNow: true, opensAt: null, timeZone: 'UTC' }),
    handover: async () => undefined,
  };
  const bot = new SwitchboardBot(new ConversationState(new MemoryStorage()));
  const adapter = new SwitchboardAdapter();
  let n = 0;
  const turns = async (from: number, to: number) => {
    for (let c = from; c < to; c++)
      for (const text of ['hello', ...SCRIPT, ...SCRIPT])
        await takeTurn(adapter, bot, {
          conv: { id: `c${c}`, channel: 'webchat', contactId: `u${c}` },
          message: { id: `m${++n}`, text, createdAt: new Date() },
          customer: { name: '', language: 'en' },
          ports,
        });
  };
  await turns(0, 200);
  const cpu0 = process.cpuUsage();
  await turns(200, 1200);
  const used = process.cpuUsage(cpu0);
  return (used.user + used.system) / 1000 / (1000 * (1 + 2 * SCRIPT.length));
}

/** Until no job is due or running (a turn's reply, the listeners of every message). */
async function drained(server: RunningServer): Promise<void> {
  for (;;) {
    const [row] = await queryRows<{ n: number }>(
      server.database.db,
      sql`select count(*)::int as n from jobs where state = 'pending' and run_at <= now() + interval '1 second'`,
    );
    if (!row?.n) return;
    if (process.env.BENCH_DEBUG)
      console.log(
        await queryRows(
          server.database.db,
          sql`select kind, payload->>'listener' as l, attempts, run_at, locked_until, last_error from jobs where state = 'pending' and run_at <= now() + interval '1 second' limit 5`,
        ),
      );
    await new Promise((r) => setTimeout(r, process.env.BENCH_DEBUG ? 2000 : 20));
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
