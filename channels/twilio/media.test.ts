import { describe, expect, it } from 'vitest';
import { MediaTooLargeError } from '../types';
import { fetchTwilioMedia, isPrivateAddress, MediaRefusedError, mediaSource } from './media';

const SID = 'ACa1b2c3d4e5f60718293a4b5c6d7e8f90';
const MEDIA = `https://api.twilio.com/2010-04-01/Accounts/${SID}/Messages/MM1/Media/ME1`;

interface Seen {
  url: string;
  authorization: string | undefined;
}

/**
 * A stand-in for the network: answers by URL from a table, records what was asked and with
 * which Authorization header. Nothing leaves the process.
 */
function network(routes: Record<string, () => Response>) {
  const seen: Seen[] = [];
  const stub = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    seen.push({ url, authorization: headers.get('authorization') ?? undefined });
    expect(init?.redirect).toBe('manual');
    const route = routes[url];
    return route ? route() : new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { stub, seen };
}

const redirect = (location: string) => () =>
  new Response(null, { status: 302, headers: { location } });
const file =
  (bytes: string, type = 'image/jpeg') =>
  () =>
    new Response(bytes, { status: 200, headers: { 'content-type': type } });

/** Every name resolves to a public address unless the table says otherwise. */
const resolver =
  (table: Record<string, string[]> = {}) =>
  async (host: string) =>
    table[host] ?? ['203.0.113.10'];

const options = (
  stub: typeof fetch,
  extra: Partial<Parameters<typeof fetchTwilioMedia>[1]> = {},
) => ({
  accountSid: SID,
  authToken: 'token-token-token-token',
  signal: AbortSignal.timeout(5_000),
  maxBytes: 1_000,
  fetch: stub,
  lookup: resolver(),
  ...extra,
});

describe('mediaSource', () => {
  it.each([
    [MEDIA, undefined, MEDIA],
    [
      MEDIA,
      'http://127.0.0.1:4010',
      `http://127.0.0.1:4010/2010-04-01/Accounts/${SID}/Messages/MM1/Media/ME1`,
    ],
    [
      MEDIA,
      'http://127.0.0.1:4010/tw/',
      `http://127.0.0.1:4010/tw/2010-04-01/Accounts/${SID}/Messages/MM1/Media/ME1`,
    ],
    ['http://127.0.0.1:4010/x/ME1', 'http://127.0.0.1:4010', 'http://127.0.0.1:4010/x/ME1'],
  ])('fetches %s (base %s) from %s', (raw, base, expected) => {
    expect(mediaSource(raw, base).toString()).toBe(expected);
  });

  it.each([
    ['https://evil.invalid/ME1', undefined],
    ['http://api.twilio.com/2010-04-01/x', undefined],
    ['https://api.twilio.com:8443/2010-04-01/x', undefined],
    ['https://user:pass@api.twilio.com/2010-04-01/x', undefined],
    ['https://api.twilio.com.evil.invalid/x', undefined],
    ['https://mms.twiliocdn.com/x', undefined],
    ['http://169.254.169.254/latest/meta-data', undefined],
    ['http://127.0.0.1:4011/x', 'http://127.0.0.1:4010'],
    ['not a url', undefined],
  ])('refuses %s (base %s)', (raw, base) => {
    expect(() => mediaSource(raw, base)).toThrow(MediaRefusedError);
  });
});

describe('fetchTwilioMedia', () => {
  it('sends the account’s Basic auth to Twilio’s API only, never to the CDN it redirects to', async () => {
    const cdn = 'https://mms.twiliocdn.com/AC1/abc?Expires=1';
    const { stub, seen } = network({ [MEDIA]: redirect(cdn), [cdn]: file('jpeg-bytes') });
    const got = await fetchTwilioMedia(MEDIA, options(stub));
    expect(got).toMatchObject({ contentType: 'image/jpeg' });
    expect(got.data.toString()).toBe('jpeg-bytes');
    expect(seen).toEqual([
      {
        url: MEDIA,
        authorization: `Basic ${Buffer.from(`${SID}:token-token-token-token`).toString('base64')}`,
      },
      { url: cdn, authorization: undefined },
    ]);
  });

  it('follows the legacy S3 location of Twilio’s media bucket', async () => {
    const s3 = 'https://s3-external-1.amazonaws.com/media.twiliocdn.com/AC1/abc';
    const { stub } = network({ [MEDIA]: redirect(s3), [s3]: file('png', 'image/png') });
    expect((await fetchTwilioMedia(MEDIA, options(stub))).contentType).toBe('image/png');
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'https://attacker.invalid/steal',
    'http://mms.twiliocdn.com/x',
    'https://s3-external-1.amazonaws.com/other-bucket/x',
    'https://mms.twiliocdn.com.attacker.invalid/x',
  ])('refuses a redirect to %s without requesting it', async (target) => {
    const { stub, seen } = network({ [MEDIA]: redirect(target) });
    await expect(fetchTwilioMedia(MEDIA, options(stub))).rejects.toThrow(MediaRefusedError);
    expect(seen.map((s) => s.url)).toEqual([MEDIA]);
  });

  it('refuses a Twilio host name that resolves inside our network (DNS rebinding)', async () => {
    const cdn = 'https://mms.twiliocdn.com/x';
    const { stub, seen } = network({ [MEDIA]: redirect(cdn), [cdn]: file('x') });
    const lookup = resolver({ 'mms.twiliocdn.com': ['10.0.0.7'] });
    await expect(fetchTwilioMedia(MEDIA, options(stub, { lookup }))).rejects.toThrow(
      /private address/,
    );
    expect(seen.map((s) => s.url)).toEqual([MEDIA]);
  });

  it('stops after five redirects', async () => {
    const hops: Record<string, () => Response> = {
      [MEDIA]: redirect('https://mms.twiliocdn.com/1'),
    };
    for (let i = 1; i <= 6; i++)
      hops[`https://mms.twiliocdn.com/${i}`] = redirect(`https://mms.twiliocdn.com/${i + 1}`);
    const { stub } = network(hops);
    await expect(fetchTwilioMedia(MEDIA, options(stub))).rejects.toThrow(/redirects/);
  });

  it('refuses a file over the limit, by its announced size and by what arrives', async () => {
    const big = () =>
      new Response('x'.repeat(2_000), { status: 200, headers: { 'content-length': '2000' } });
    const { stub } = network({ [MEDIA]: big });
    await expect(fetchTwilioMedia(MEDIA, options(stub))).rejects.toBeInstanceOf(MediaTooLargeError);
    const streamed = () => new Response(new Blob(['y'.repeat(1_500)]).stream(), { status: 200 });
    const { stub: stub2 } = network({ [MEDIA]: streamed });
    await expect(fetchTwilioMedia(MEDIA, options(stub2))).rejects.toBeInstanceOf(
      MediaTooLargeError,
    );
  });

  it('with TWILIO_API_BASE, authorises its exact origin and takes its host as the CDN', async () => {
    const base = 'http://127.0.0.1:4010';
    const moved = `${base}/2010-04-01/Accounts/${SID}/Messages/MM1/Media/ME1`;
    const cdn = 'http://127.0.0.1:4011/media/k';
    const { stub, seen } = network({ [moved]: redirect(cdn), [cdn]: file('ok') });
    await fetchTwilioMedia(MEDIA, options(stub, { apiBase: base }));
    expect(seen.map((s) => [s.url, Boolean(s.authorization)])).toEqual([
      [moved, true],
      [cdn, false],
    ]);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['10.1.2.3', true],
    ['127.0.0.1', true],
    ['169.254.169.254', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:10.0.0.1', true],
    ['203.0.113.10', false],
    ['54.172.60.0', false],
    ['2600:1f18::1', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
