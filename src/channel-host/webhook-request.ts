import type { WebhookRequest } from '../../channels/types';

/** The request as a channel sees it; a body that is not what its type says is flagged. */
export function webhookRequest(input: {
  method: string;
  subPath: string;
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  query: Readonly<Record<string, unknown>>;
  rawBody: Buffer;
}): WebhookRequest & { bodyError?: string } {
  const type = String(input.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  let body: unknown = undefined;
  let bodyError: string | undefined;
  const text = input.rawBody.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    body = Object.fromEntries(new URLSearchParams(text));
  } else if (text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      bodyError = 'the body is not valid JSON';
    }
  }
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(input.headers))
    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.query)) if (typeof v === 'string') query[k] = v;
  return {
    method: input.method,
    subPath: input.subPath,
    url: input.url,
    headers,
    query,
    rawBody: input.rawBody,
    body,
    ...(bodyError ? { bodyError } : {}),
  };
}
