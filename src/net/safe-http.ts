import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Outgoing HTTP to addresses an admin typed in (webhooks): the host is resolved first, every
 * address it resolves to is checked against private, loopback, link-local and other
 * non-public ranges (refused unless explicitly allowed), and the connection is pinned to the
 * address that was checked, so a second DNS answer cannot point it elsewhere (rebinding).
 * Redirects are not followed.
 */
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** Whether an address is a public one (not private, loopback, link-local, reserved…). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !blocked.check(address, 'ipv4');
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]!);
  return !blocked.check(address, 'ipv6');
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export class UnsafeDestinationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeDestinationError';
  }
}

export interface SafeRequest {
  url: string;
  method?: 'POST' | 'GET';
  headers?: Record<string, string>;
  body?: string;
  allowPrivate: boolean;
  timeoutMs: number;
  /** Bytes of the answer kept (the rest is read and dropped). */
  maxResponseBytes?: number;
  resolve?: Resolver;
}

export interface SafeResponse {
  status: number;
  body: string;
}

/** Checks the destination; resolves to the address to connect to. */
export async function vetDestination(
  url: URL,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
): Promise<{ address: string; family: number }> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UnsafeDestinationError(`only http and https are allowed, not ${url.protocol}`);
  if (url.username || url.password)
    throw new UnsafeDestinationError('credentials in the URL are not allowed');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  const addresses = literal
    ? [{ address: host, family: literal }]
    : await resolve(host).catch((err: unknown) => {
        const code = (err as { code?: unknown }).code;
        throw new UnsafeDestinationError(
          `${host} does not resolve${typeof code === 'string' ? ` (${code})` : ''}`,
        );
      });
  if (!addresses.length) throw new UnsafeDestinationError(`${host} does not resolve`);
  if (!allowPrivate) {
    const inner = addresses.find((a) => !isPublicAddress(a.address));
    if (inner)
      throw new UnsafeDestinationError(
        `${host} resolves to ${inner.address}, a private or reserved address (an admin can allow private addresses for this webhook)`,
      );
  }
  return addresses[0]!;
}

export async function safeRequest(req: SafeRequest): Promise<SafeResponse> {
  const url = new URL(req.url);
  const target = await vetDestination(url, req.allowPrivate, req.resolve);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const max = req.maxResponseBytes ?? 4096;
  return new Promise((resolvePromise, reject) => {
    const r = send(
      url,
      {
        method: req.method ?? 'POST',
        headers: req.headers,
        timeout: req.timeoutMs,
        // Pinned: connect to the address that was checked, whatever DNS says now.
        lookup: (_host, opts, cb) =>
          opts.all ? cb(null, [target]) : cb(null, target.address, target.family),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < max) {
            chunks.push(chunk.subarray(0, max - kept));
            kept += Math.min(chunk.length, max - kept);
          }
        });
        res.on('end', () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}
