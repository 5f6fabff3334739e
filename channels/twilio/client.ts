import twilio from 'twilio';
import type Response from 'twilio/lib/http/response';
import type RequestClient from 'twilio/lib/base/RequestClient';

/**
 * How the official `twilio` library is made to send its REST calls to another base URL
 * (`TWILIO_API_BASE`): twilio-node has no base-URL option or variable (only TWILIO_EDGE and
 * TWILIO_REGION, which rewrite the host inside *.twilio.com), but every request goes through
 * the client's `httpClient`, a `RequestClient` that receives the absolute URL
 * (`https://api.twilio.com/2010-04-01/...`) after the library has built it. A subclass that
 * swaps the origin before calling the real one keeps everything else of the library: Basic
 * auth, form encoding, User-Agent, error mapping to `RestException`, paging.
 *
 * Every `*.twilio.com` host is rewritten (api, messaging, voice, ... and edge/region hosts), so
 * a client built here can never reach the real Twilio; the path and query are kept, and a path
 * in the base (`http://proxy/twilio`) is put in front of them.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(base: string, options?: RequestClient.RequestClientOptions) {
    super(options);
    this.base = new URL(base);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    return super.request({ ...opts, uri: rewriteTwilioUrl(opts.uri, this.base) });
  }
}

/** `https://api.twilio.com/2010-04-01/X?y` → `<base>/2010-04-01/X?y`; other hosts unchanged. */
export function rewriteTwilioUrl(uri: string, base: string | URL): string {
  const url = new URL(uri);
  if (url.hostname !== 'twilio.com' && !url.hostname.endsWith('.twilio.com')) return uri;
  const target = new URL(base);
  const prefix = target.pathname.replace(/\/+$/, '');
  return `${target.origin}${prefix}${url.pathname}${url.search}`;
}

/** A real twilio-node client whose REST calls go to `base` instead of Twilio. */
export function twilioClientFor(
  base: string,
  accountSid: string,
  authToken: string,
): twilio.Twilio {
  return twilio(accountSid, authToken, { httpClient: new BaseUrlRequestClient(base) });
}

/** How long one REST call to Twilio may take before the library gives up on it. */
const REST_TIMEOUT_MS = 15_000;

/**
 * The client a Twilio inbox uses: Twilio itself, or `apiBase` (TWILIO_API_BASE) when set.
 * Built once per live inbox; the library keeps its connections alive between calls.
 */
export function twilioClient(
  credentials: { accountSid: string; authToken: string },
  apiBase: string | undefined,
): twilio.Twilio {
  const options = { timeout: REST_TIMEOUT_MS, keepAlive: true };
  const httpClient = apiBase
    ? new BaseUrlRequestClient(apiBase, options)
    : new twilio.RequestClient(options);
  return twilio(credentials.accountSid, credentials.authToken, { httpClient });
}

/**
 * twilio-node takes no AbortSignal: the call is raced against the signal, and the library's own
 * timeout ends the abandoned request soon after.
 */
export function withSignal<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
