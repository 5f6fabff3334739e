/**
 * The load generator: one child process holding the 50 agent sockets and every visitor socket, so
 * the server process does nothing but serve and the parent does nothing while we measure.
 *
 * Every message carries `bench <n>`; send, ack and agent receipts are timed with the one
 * monotonic clock of this process (`process.hrtime.bigint()`), so no clocks are compared.
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import {
  isParentMessage,
  summarize,
  type ChildMessage,
  type LoadConfig,
  type StepResult,
} from './protocol';

const PREFIX = 'bench ';
/** The server allows 30 per socket per rolling 10 s; stay clear of it on our own clock. */
const CLIENT_BURST = 27;
const WINDOW_MS = 10_500;
const CONNECT_BATCH = 50;

const origin = process.hrtime.bigint();
/** Milliseconds since this process started measuring (monotonic, sub-microsecond). */
const now = (): number => Number(process.hrtime.bigint() - origin) / 1e6;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function report(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

// One slot per message id, in parallel arrays: NaN means "not yet".
const sentAt: number[] = [];
const ackAt: number[] = [];
const firstAt: number[] = [];
const lastAt: number[] = [];
const seenBy: number[] = [];
const expected: number[] = [];
const failed: boolean[] = [];
let firstError: string | undefined;

interface Visitor {
  socket: Socket;
  conversationId: string;
  recent: number[];
}

const agents: Socket[] = [];
const visitors: Visitor[] = [];
let liveAgents = 0;
let stopping = false;
let cursor = 0;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function onAgentMessage(payload: unknown): void {
  const t = now();
  if (!isRecord(payload) || !isRecord(payload.message)) return;
  const text = payload.message.text;
  if (typeof text !== 'string' || !text.startsWith(PREFIX)) return;
  const id = Number(text.slice(PREFIX.length));
  if (!Number.isInteger(id) || id < 0 || id >= sentAt.length) return;
  const seen = (seenBy[id] ?? 0) + 1;
  seenBy[id] = seen;
  if (seen === 1) firstAt[id] = t;
  if (seen === expected[id]) lastAt[id] = t;
}

/** socket.io's connect errors keep the useful part (HTTP status, errno) in `description`. */
function describe(err: Error): string {
  const { description, data } = err as Error & { description?: unknown; data?: unknown };
  const detail =
    description instanceof Error
      ? description.message
      : isRecord(description) && 'message' in description
        ? String(description.message)
        : description !== undefined
          ? String(description)
          : data !== undefined
            ? JSON.stringify(data)
            : '';
  return detail ? `${err.message} (${detail})` : err.message;
}

function connect(path: string, auth: Record<string, string>, url: string): Socket {
  return io(`${url}${path}`, {
    transports: ['websocket'],
    // One TCP connection per socket, as separate browsers would have.
    forceNew: true,
    reconnection: false,
    timeout: 30_000,
    auth,
  });
}

function connectAgent(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect('/agent', { token }, url);
    socket.on('message.created', onAgentMessage);
    socket.once('connect', () => {
      liveAgents++;
      socket.on('disconnect', (reason) => {
        liveAgents--;
        if (!stopping) console.error(`bench: an agent socket disconnected (${reason})`);
      });
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`agent socket: ${describe(err)}`));
    });
  });
}

function connectVisitor(url: string): Promise<Visitor> {
  return new Promise((resolve, reject) => {
    const socket = connect('/webchat', {}, url);
    socket.once('session', (session: unknown) => {
      const conversationId =
        isRecord(session) && typeof session.conversationId === 'string'
          ? session.conversationId
          : '';
      resolve({ socket, conversationId, recent: [] });
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(new Error(`visitor socket: ${describe(err)}`));
    });
  });
}

/** A handshake refused under load (reset, timeout) is tried again before the run gives up. */
async function withRetries<T>(attempt: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= tries) throw err;
      console.error(`bench: ${(err as Error).message}; retrying`);
      await sleep(500 * i);
    }
  }
}

async function growVisitors(url: string, target: number): Promise<number> {
  const started = now();
  while (visitors.length < target) {
    const batch = Math.min(CONNECT_BATCH, target - visitors.length);
    visitors.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () => withRetries(() => connectVisitor(url))),
      )),
    );
  }
  return now() - started;
}

function pickVisitor(t: number): Visitor | undefined {
  for (let tries = 0; tries < visitors.length; tries++) {
    const visitor = visitors[cursor]!;
    cursor = (cursor + 1) % visitors.length;
    while (visitor.recent.length && t - visitor.recent[0]! > WINDOW_MS) visitor.recent.shift();
    if (visitor.recent.length < CLIENT_BURST) return visitor;
  }
  return undefined;
}

/** The slot of a new message, timed from now. */
function track(t: number): number {
  const id = sentAt.length;
  sentAt.push(t);
  ackAt.push(Number.NaN);
  firstAt.push(Number.NaN);
  lastAt.push(Number.NaN);
  seenBy.push(0);
  expected.push(liveAgents);
  failed.push(false);
  return id;
}

/**
 * Keep-alive connections for the webhook calls: node:http rather than fetch, whose per-request
 * cost would make the load generator, not the server, the limit.
 */
const webhookAgent = new Agent({ keepAlive: true, maxSockets: 128 });

/** A Telegram update from a user the server has never seen, POSTed as Telegram does. */
function sendUpdate(telegram: NonNullable<LoadConfig['telegram']>): boolean {
  const id = track(now());
  const user = telegram.firstUserId + id;
  const from = { id: user, is_bot: false, first_name: 'Bench', last_name: `User ${id}` };
  const body = JSON.stringify({
    update_id: id + 1,
    message: {
      message_id: 1,
      from: { ...from, language_code: 'en' },
      chat: { ...from, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text: `${PREFIX}${id}`,
    },
  });
  const fail = (reason: string) => {
    ackAt[id] = now();
    failed[id] = true;
    firstError ??= reason;
  };
  const post = (retry: boolean) => {
    const req = request(
      telegram.webhookUrl,
      {
        method: 'POST',
        agent: webhookAgent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-telegram-bot-api-secret-token': telegram.secret,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode === 200) ackAt[id] = now();
          else fail(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 200)}`);
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed as we reused it: send again, as Telegram would.
      if (retry && req.reusedSocket && err.code === 'ECONNRESET') post(false);
      else fail(err.message);
    });
    req.end(body);
  };
  post(true);
  return true;
}

/** Sends one message; false when every visitor is at its rate limit (we never overrun it). */
function sendOne(config: LoadConfig): boolean {
  if (config.telegram) return sendUpdate(config.telegram);
  const t = now();
  const visitor = pickVisitor(t);
  if (!visitor) return false;
  const id = sentAt.length;
  sentAt.push(t);
  ackAt.push(Number.NaN);
  firstAt.push(Number.NaN);
  lastAt.push(Number.NaN);
  seenBy.push(0);
  expected.push(liveAgents);
  failed.push(false);
  visitor.recent.push(t);
  visitor.socket.emit('message', { text: `${PREFIX}${id}` }, (reply: unknown) => {
    ackAt[id] = now();
    if (!isRecord(reply) || typeof reply.id !== 'string') {
      failed[id] = true;
      firstError ??= JSON.stringify(reply);
    }
  });
  return true;
}

const settled = (id: number): boolean =>
  failed[id] === true || (!Number.isNaN(ackAt[id]!) && !Number.isNaN(lastAt[id]!));

async function runStep(config: LoadConfig, index: number, rate: number, seconds: number) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const from = sentAt.length;
  let sent = 0;
  let skipped = 0;
  const start = now();
  const end = start + seconds * 1000;
  // Completions are counted after a short settling period: in a steady state they then equal the
  // send rate whatever the latency, and fall short of it only when a backlog builds up.
  const measureFrom = start + Math.min(1000, (seconds * 1000) / 5);
  loop.enable();
  for (let t = now(); t < end; t = now()) {
    const due = Math.floor(((t - start) / 1000) * rate) - sent - skipped;
    for (let i = 0; i < due; i++) {
      if (sendOne(config)) sent++;
      else skipped++;
    }
    await sleep(1);
  }
  loop.disable();
  const windowEnd = now();
  void report({ type: 'step-window-end', index });
  const to = sentAt.length;
  let acked = 0;
  let delivered = 0;
  let backlog = 0;
  for (let id = from; id < to; id++) {
    const a = ackAt[id]!;
    const l = lastAt[id]!;
    if (a >= measureFrom && a <= windowEnd) acked++;
    if (l >= measureFrom && l <= windowEnd) delivered++;
    if (!settled(id)) backlog++;
  }
  // Let this step's stragglers arrive so that they do not count against the next one.
  const drainStart = now();
  const drainUntil = drainStart + config.drainSeconds * 1000;
  let pending = from;
  while (now() < drainUntil) {
    while (pending < to && settled(pending)) pending++;
    if (pending === to) break;
    await sleep(10);
  }
  const drainMs = now() - drainStart;

  const ack: number[] = [];
  const first: number[] = [];
  const last: number[] = [];
  let errors = 0;
  let lost = 0;
  for (let id = from; id < to; id++) {
    if (failed[id]) {
      errors++;
      continue;
    }
    const s = sentAt[id]!;
    const lat = (x: number) => (Number.isNaN(x) ? Number.POSITIVE_INFINITY : x - s);
    ack.push(lat(ackAt[id]!));
    first.push(lat(firstAt[id]!));
    last.push(lat(lastAt[id]!));
    if (!settled(id)) lost++;
  }
  const span = (windowEnd - measureFrom) / 1000;
  const result: StepResult = {
    index,
    rate,
    visitors: visitors.length,
    seconds,
    sent: to - from,
    ackRate: acked / span,
    deliveredRate: delivered / span,
    backlog,
    errors,
    lost,
    ack: summarize(ack),
    firstAgent: summarize(first),
    lastAgent: summarize(last),
    loadLoopP99Ms: loop.percentile(99) / 1e6,
    drainMs,
    passed: true,
    kind: 'ladder',
    failure: undefined,
    errorSample: firstError,
  };
  firstError = undefined;
  const reasons: string[] = [];
  if (skipped) reasons.push(`${skipped} not sent: visitors at their rate limit`);
  if (result.ackRate < rate * 0.95) reasons.push(`acks ${result.ackRate.toFixed(0)}/s < 95 %`);
  if (result.deliveredRate < rate * 0.95)
    reasons.push(`delivered ${result.deliveredRate.toFixed(0)}/s < 95 %`);
  if (errors > result.sent * 0.001) reasons.push(`${errors} errors`);
  if (lost) reasons.push(`${lost} not delivered after ${config.drainSeconds} s`);
  if (!(result.lastAgent.p99 <= config.maxP99Ms))
    reasons.push(
      `p99 ${Number.isFinite(result.lastAgent.p99) ? `${result.lastAgent.p99.toFixed(0)} ms` : '∞'} > ${config.maxP99Ms} ms`,
    );
  result.passed = reasons.length === 0;
  result.failure = reasons.length ? reasons.join('; ') : undefined;
  return result;
}

/** Round a rate to a step that reads well: 5, 25 or 50 messages/s. */
function roundRate(rate: number): number {
  const grain = rate >= 500 ? 50 : rate >= 100 ? 25 : 5;
  return Math.round(rate / grain) * grain;
}

function visitorsFor(config: LoadConfig, rate: number): number {
  if (config.telegram) return 0;
  return Math.max(config.minVisitors, Math.ceil(rate / config.perVisitorRate));
}

async function run(config: LoadConfig): Promise<void> {
  const started = now();
  for (let i = 0; i < config.agents; i += CONNECT_BATCH) {
    const batch = Math.min(CONNECT_BATCH, config.agents - i);
    agents.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () =>
          withRetries(() => connectAgent(config.url, config.token)),
        ),
      )),
    );
  }
  await growVisitors(config.url, visitorsFor(config, config.rates[0] ?? 0));
  void report({
    type: 'ready',
    agents: agents.length,
    visitors: visitors.length,
    connectMs: now() - started,
  });

  if (config.warmupSeconds > 0) {
    await runStep(config, -1, config.warmupRate, config.warmupSeconds);
  }
  let index = 0;
  let noisyRetries = config.noisyRetries;
  /** One step; a failure while other processes hogged the machine is run again (bounded). */
  const step = async (rate: number, kind: StepResult['kind']): Promise<boolean> => {
    const need = visitorsFor(config, rate);
    if (need > visitors.length) {
      const connectMs = await growVisitors(config.url, need);
      void report({ type: 'visitors', visitors: visitors.length, connectMs });
      await sleep(250);
    }
    const stepIndex = index++;
    void report({ type: 'step-start', index: stepIndex, rate });
    const result = await runStep(config, stepIndex, rate, config.stepSeconds);
    result.kind = kind;
    const noisy = verdict(stepIndex);
    void report({ type: 'step', result });
    if (!result.passed && (await noisy) && noisyRetries > 0) {
      noisyRetries--;
      return step(rate, 'retry');
    }
    return result.passed;
  };
  let passed = 0;
  let failed: number | undefined;
  for (const rate of config.rates) {
    let held = await step(rate, 'ladder');
    for (let r = 0; !held && r < config.retries; r++) held = await step(rate, 'retry');
    if (held) passed = Math.max(passed, rate);
    else {
      failed = rate;
      break;
    }
  }
  // Narrow the gap between the last step that held and the first that did not.
  for (let i = 0; i < config.refineSteps && failed !== undefined; i++) {
    const mid = roundRate((passed + failed) / 2);
    if (mid <= passed || mid >= failed) break;
    if (await step(mid, 'refine')) passed = mid;
    else failed = mid;
  }
  await report({
    type: 'done',
    conversationIds: [...new Set(visitors.map((v) => v.conversationId).filter(Boolean))],
  });
}

/** The parent, which sees the whole machine's CPU, says whether a step was disturbed. */
const verdicts = new Map<number, (noisy: boolean) => void>();

function verdict(index: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 5_000);
    verdicts.set(index, (noisy) => {
      clearTimeout(timer);
      verdicts.delete(index);
      resolve(noisy);
    });
  });
}

function shutdown(code: number): void {
  stopping = true;
  for (const socket of [...agents, ...visitors.map((v) => v.socket)]) socket.disconnect();
  // Give the close frames a moment, then go whatever is still open.
  setTimeout(() => process.exit(code), 200).unref();
}

process.on('disconnect', () => shutdown(1));
process.on('message', (message: unknown) => {
  if (!isParentMessage(message)) return;
  if (message.type === 'stop') return shutdown(0);
  if (message.type === 'verdict') return verdicts.get(message.index)?.(message.noisy);
  run(message.config).then(
    () => shutdown(0),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      void report({ type: 'fatal', message }).then(() => shutdown(1));
    },
  );
});
