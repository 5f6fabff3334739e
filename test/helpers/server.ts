import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logger';
import { startServer, type RunningServer, type StartOptions } from '../../src/server';
import type { ChannelDefinition } from '../../channels/types';
import { createTestStorage, type TestStorage } from './database';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestServer {
  url: string;
  server: RunningServer;
  storage: TestStorage;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
  /** Stops the server and keeps its data, for a restart on the same storage. */
  halt(): Promise<void>;
}

/** The whole server in this process, on a free port, with its own database. */
export async function startTestServer(
  env: Record<string, string> = {},
  opts: {
    storage?: TestStorage;
    channels?: ChannelDefinition[];
    listeners?: StartOptions['listeners'];
    clock?: StartOptions['clock'];
    resolve?: StartOptions['resolve'];
  } = {},
): Promise<TestServer> {
  const storage = opts.storage ?? (await createTestStorage());
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: storage.dataDir,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
    DELIVERY_POLL_MS: '200',
    ...env,
  });
  const server = await startServer(config, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), {
    print: () => undefined,
    channels: opts.channels ?? [],
    listeners: opts.listeners ?? [],
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.resolve ? { resolve: opts.resolve } : {}),
  });
  return {
    url: server.url,
    server,
    storage,
    halt: () => server.stop(),
    stop: async () => {
      await server.stop();
      await storage.cleanup();
    },
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** The real server process (`node --import tsx src/server.ts`), as `npm start` runs it. */
export async function spawnServer(
  storage: TestStorage,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: storage.dataDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'info',
      DELIVERY_POLL_MS: '200',
      ...(storage.databaseUrl ? { DATABASE_URL: storage.databaseUrl } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

// ---- API and socket clients ------------------------------------------------------------------

export interface Api {
  token: string;
  get<T = unknown>(path: string): Promise<{ status: number; body: T }>;
  send<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
}

export async function request<T = unknown>(
  url: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] ??= 'application/json';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${url}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

export async function login(
  url: string,
  email = ADMIN.email,
  password = ADMIN.password,
): Promise<Api> {
  const res = await request<{ token: string }>(url, 'POST', '/api/v1/auth/login', {
    body: { email, password },
  });
  if (res.status !== 200)
    throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  const token = res.body.token;
  return {
    token,
    get: (path) => request(url, 'GET', path, { token }),
    send: (method, path, body) => request(url, method, path, { token, body }),
  };
}

/** Creates an agent (member of the given inboxes) and signs them in. */
export async function createAgent(
  url: string,
  admin: Api,
  name: string,
  inboxIds: string[],
): Promise<Api & { id: string }> {
  const email = `${name.toLowerCase()}@example.com`;
  const res = await admin.send<{ user: { id: string } }>('POST', '/api/v1/users', {
    email,
    name,
    role: 'agent',
    password: 'agent-password-1',
    inboxIds,
  });
  if (res.status !== 201)
    throw new Error(`create agent failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...(await login(url, email, 'agent-password-1')), id: res.body.user.id };
}

export async function webchatInboxId(admin: Api): Promise<string> {
  const res = await admin.get<{ items: { id: string; channel: string }[] }>('/api/v1/inboxes');
  const inbox = res.body.items.find((i) => i.channel === 'webchat');
  if (!inbox) throw new Error('no web-chat inbox');
  return inbox.id;
}

/** Collects every event a socket receives, and waits for the ones a test expects. */
export class Recorder {
  readonly events: { name: string; payload: unknown }[] = [];
  private waiters: {
    match: (name: string, p: unknown) => boolean;
    resolve: (p: unknown) => void;
  }[] = [];

  constructor(readonly socket: Socket) {
    socket.onAny((name: string, payload: unknown) => {
      this.events.push({ name, payload });
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(name, payload)) return true;
        w.resolve(payload);
        return false;
      });
    });
  }

  of<T = unknown>(name: string): T[] {
    return this.events.filter((e) => e.name === name).map((e) => e.payload as T);
  }

  wait<T = unknown>(
    name: string,
    where: (payload: T) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<T> {
    const seen = this.events.find((e) => e.name === name && where(e.payload as T));
    if (seen) return Promise.resolve(seen.payload as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${name}`)), timeoutMs);
      this.waiters.push({
        match: (n, p) => n === name && where(p as T),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p as T);
        },
      });
    });
  }
}

export async function connect(
  url: string,
  nsp: '/agent' | '/webchat',
  auth: Record<string, unknown>,
): Promise<Recorder> {
  const socket = io(`${url}${nsp}`, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const recorder = new Recorder(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return recorder;
}

export interface VisitorSession {
  visitorToken: string;
  /** Null until the visitor writes (CONTRACT: opening the widget stores nothing). */
  conversationId: string | null;
}

export async function connectVisitor(
  url: string,
  auth: Record<string, unknown> = {},
): Promise<{ visitor: Recorder; session: VisitorSession }> {
  const visitor = await connect(url, '/webchat', auth);
  const session = await visitor.wait<VisitorSession>('session');
  return { visitor, session };
}

/**
 * The visitor writes; resolves with the acknowledgement and the conversation the message went
 * to (from the `session` event the server sends when that changes, or the known one).
 */
export async function visitorSays(
  visitor: Recorder,
  text: string,
  known: string | null = null,
): Promise<{ id: string; conversationId: string }> {
  const ack = (await visitor.socket.emitWithAck('message', { text })) as {
    id?: string;
    error?: unknown;
  };
  if (!ack.id) throw new Error(`the message was refused: ${JSON.stringify(ack)}`);
  if (known) return { id: ack.id, conversationId: known };
  const session = await visitor.wait<VisitorSession>('session', (s) => s.conversationId !== null);
  return { id: ack.id, conversationId: session.conversationId! };
}

/** A new visitor writes once; returns the conversation id. */
export async function newVisitorWrites(url: string, text: string): Promise<string> {
  const { visitor } = await connectVisitor(url);
  const { conversationId } = await visitorSays(visitor, text);
  visitor.socket.disconnect();
  return conversationId;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Probes until `ok` holds or the time is up; returns the last value (the test asserts on it). */
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  ok: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > end) return value;
    await sleep(50);
  }
}
