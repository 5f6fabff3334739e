import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { MediaTooLargeError, type FetchedMedia } from '../types';

/**
 * Downloads of customers' files (MMS media, call recordings) with the guard an attacker-supplied
 * URL needs. Only these are fetched:
 * - Twilio's API host (`https://api.twilio.com`) or, with TWILIO_API_BASE, exactly that origin:
 *   the only place the account's Basic auth is ever sent;
 * - Twilio's media CDN, where the API redirects (`*.twiliocdn.com`, and the legacy S3 bucket
 *   `s3-external-1.amazonaws.com/media.twiliocdn.com/…`), over https and without credentials.
 *   With TWILIO_API_BASE, its host name (any port) stands in for the CDN: a self-hosted proxy
 *   or test double redirects there the way Twilio redirects to its CDN.
 * Redirects are followed by hand (at most 5) and every hop is checked again. Twilio's own host
 * names must also resolve to public addresses (no DNS answer pointing inside our network).
 */

export interface MediaFetchOptions {
  accountSid: string;
  authToken: string;
  /** TWILIO_API_BASE, when set. */
  apiBase?: string | undefined;
  signal: AbortSignal;
  maxBytes: number;
  /** Injected in tests: no test reaches a real host. */
  fetch?: typeof fetch;
  lookup?: (hostname: string) => Promise<string[]>;
}

/** A URL this channel will not fetch: not Twilio's, or redirected away from Twilio. */
export class MediaRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaRefusedError';
  }
}

const TWILIO_API = 'https://api.twilio.com';
const MAX_HOPS = 5;

type Hop = { url: URL; authorize: boolean; checkDns: boolean };

function isCdn(url: URL): boolean {
  if (url.protocol !== 'https:' || url.port) return false;
  const host = url.hostname.toLowerCase();
  if (host === 'twiliocdn.com' || host.endsWith('.twiliocdn.com')) return true;
  return host === 's3-external-1.amazonaws.com' && url.pathname.startsWith('/media.twiliocdn.com/');
}

/**
 * Where a media URL from a webhook is fetched from: Twilio's API (moved onto TWILIO_API_BASE when
 * that is set) or the base itself. Anything else is refused before any request is made.
 */
export function mediaSource(raw: string, apiBase?: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MediaRefusedError('the media URL is not a URL');
  }
  if (url.username || url.password) throw new MediaRefusedError('the media URL carries a login');
  const base = apiBase ? new URL(apiBase) : undefined;
  if (url.protocol === 'https:' && url.hostname.toLowerCase() === 'api.twilio.com' && !url.port) {
    if (!base) return url;
    const prefix = base.pathname.replace(/\/+$/, '');
    return new URL(`${base.origin}${prefix}${url.pathname}${url.search}`);
  }
  if (base && url.origin === base.origin) return url;
  throw new MediaRefusedError(`media on ${url.host} is not Twilio's; it was not fetched`);
}

function classify(url: URL, apiBase: string | undefined): Hop | undefined {
  if (url.username || url.password) return undefined;
  const base = apiBase ? new URL(apiBase) : undefined;
  if (base) {
    if (url.origin === base.origin) return { url, authorize: true, checkDns: false };
    if (url.hostname === base.hostname && url.protocol === base.protocol)
      return { url, authorize: false, checkDns: false };
  } else if (url.origin === TWILIO_API) {
    return { url, authorize: true, checkDns: true };
  }
  if (isCdn(url)) return { url, authorize: false, checkDns: true };
  return undefined;
}

/** Loopback, private, link-local, carrier-grade NAT, unique-local and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const lower = ip.toLowerCase();
  return (
    lower === '::' ||
    lower === '::1' ||
    lower.startsWith('fc') ||
    lower.startsWith('fd') ||
    lower.startsWith('fe8') ||
    lower.startsWith('fe9') ||
    lower.startsWith('fea') ||
    lower.startsWith('feb')
  );
}

async function systemLookup(hostname: string): Promise<string[]> {
  return (await dnsLookup(hostname, { all: true })).map((a) => a.address);
}

async function readLimited(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new MediaTooLargeError(declared, maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.length;
    if (size > maxBytes) {
      await reader?.cancel();
      throw new MediaTooLargeError(size, maxBytes);
    }
    chunks.push(Buffer.from(next.value));
  }
  return Buffer.concat(chunks);
}

function fileNameOf(res: Response): string | undefined {
  const disposition = res.headers.get('content-disposition') ?? '';
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

export async function fetchTwilioMedia(
  raw: string,
  opts: MediaFetchOptions,
): Promise<FetchedMedia> {
  const doFetch = opts.fetch ?? fetch;
  const lookup = opts.lookup ?? systemLookup;
  const authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  let url = mediaSource(raw, opts.apiBase);
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    const allowed = classify(url, opts.apiBase);
    if (!allowed) throw new MediaRefusedError(`redirected to ${url.host}, which is not Twilio's`);
    if (allowed.checkDns) {
      const addresses = await lookup(url.hostname);
      if (!addresses.length || addresses.some(isPrivateAddress))
        throw new MediaRefusedError(`${url.hostname} resolves to a private address`);
    }
    const res = await doFetch(url, {
      redirect: 'manual',
      signal: opts.signal,
      headers: allowed.authorize ? { authorization } : {},
    });
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      await res.body?.cancel();
      if (!location) throw new Error(`media redirect without a Location (HTTP ${res.status})`);
      url = new URL(location, url);
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`media download failed: HTTP ${res.status}`);
    }
    const data = await readLimited(res, opts.maxBytes);
    const contentType = (res.headers.get('content-type') ?? 'application/octet-stream')
      .split(';')[0]!
      .trim();
    return { data, contentType, fileName: fileNameOf(res) };
  }
  throw new MediaRefusedError(`more than ${MAX_HOPS} redirects`);
}
