import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One part of a multipart/form-data body that carried a file. */
export interface UploadedFile {
  field: string;
  filename: string;
  /** As the client labelled it; `undefined` when it sent no Content-Type for the part. */
  contentType: string | undefined;
  bytes: Buffer;
}

export type BodyEncoding = 'none' | 'json' | 'form' | 'multipart' | 'query';

/** A request body decoded as a provider decodes it: JSON, urlencoded or multipart. */
export interface DecodedBody {
  encoding: BodyEncoding;
  /** JSON values as sent; form and multipart fields as strings, repeated fields in order. */
  fields: Array<[string, unknown]>;
  files: UploadedFile[];
}

export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Decodes the query string and the body. multipart/form-data goes through undici's own parser
 * (the `Request.formData()` of Node's fetch), which accepts telegraf's `name:value` part
 * headers without a space.
 */
export async function decodeBody(req: IncomingMessage, url: URL): Promise<DecodedBody> {
  const raw = await readRaw(req);
  const fields: Array<[string, unknown]> = [...url.searchParams];
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  if (raw.length === 0) {
    return { encoding: fields.length > 0 ? 'query' : 'none', fields, files: [] };
  }
  if (contentType.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      fields.push(...Object.entries(parsed));
    }
    return { encoding: 'json', fields, files: [] };
  }
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake.invalid/', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: new Uint8Array(raw),
    }).formData();
    const files: UploadedFile[] = [];
    for (const [name, value] of form) {
      if (typeof value === 'string') {
        fields.push([name, value]);
      } else {
        files.push({
          field: name,
          filename: value.name,
          // undici labels a part without Content-Type as text/plain; telegraf sends none.
          contentType: value.type && value.type !== 'text/plain' ? value.type : undefined,
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { encoding: 'multipart', fields, files };
  }
  // Telegram and Twilio both treat anything else as application/x-www-form-urlencoded.
  fields.push(...new URLSearchParams(raw.toString('utf8')));
  return { encoding: 'form', fields, files: [] };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Closes the socket under a request without writing a response: a dropped connection. */
export function dropConnection(req: IncomingMessage): void {
  req.socket.destroy();
}

export interface Listening {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 and a free port; `close()` also ends kept-alive sockets. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  onError: (err: unknown, res: ServerResponse) => void,
): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => onError(err, res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

interface Waiter<T> {
  predicate: (call: T) => boolean;
  resolve: (call: T) => void;
}

/** Calls in arrival order, and a way to wait for one that has not come yet. */
export class CallLog<T> {
  readonly calls: T[] = [];
  private waiters = new Set<Waiter<T>>();

  record(call: T): void {
    this.calls.push(call);
    for (const waiter of this.waiters) {
      if (waiter.predicate(call)) {
        this.waiters.delete(waiter);
        waiter.resolve(call);
      }
    }
  }

  /** Resolves with the first call, recorded already or later, that matches. */
  waitFor(predicate: (call: T) => boolean, timeoutMs: number, describe: string): Promise<T> {
    const seen = this.calls.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no ${describe} call matched within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  clear(): void {
    this.calls.length = 0;
  }
}
