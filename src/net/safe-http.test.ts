import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, safeRequest, vetDestination, type Resolver } from './safe-http';

describe('isPublicAddress', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.20.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false], // cloud metadata
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('vetDestination', () => {
  // A stubbed resolver: no test ever sends a request to another address.
  const resolver =
    (map: Record<string, string[]>): Resolver =>
    async (host) =>
      (map[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a name that resolves to a private address (even one of several)', async () => {
    const resolve = resolver({ 'hooks.example.invalid': ['93.184.216.34', '10.0.0.7'] });
    await expect(
      vetDestination(new URL('https://hooks.example.invalid/x'), false, resolve),
    ).rejects.toThrow(/10\.0\.0\.7, a private or reserved address/);
  });

  it('refuses the metadata address, other schemes and credentials in the URL', async () => {
    await expect(vetDestination(new URL('http://169.254.169.254/latest'), false)).rejects.toThrow(
      /private or reserved/,
    );
    await expect(vetDestination(new URL('file:///etc/passwd'), false)).rejects.toThrow(/only http/);
    await expect(
      vetDestination(new URL('https://u:p@hooks.example.invalid/'), false, resolver({})),
    ).rejects.toThrow(/credentials/);
  });

  it('accepts a public address, and a private one when an admin allows it', async () => {
    const resolve = resolver({
      'hooks.example.invalid': ['93.184.216.34'],
      'intranet.invalid': ['10.0.0.7'],
    });
    expect(await vetDestination(new URL('https://hooks.example.invalid/'), false, resolve)).toEqual(
      {
        address: '93.184.216.34',
        family: 4,
      },
    );
    expect(await vetDestination(new URL('http://intranet.invalid/'), true, resolve)).toMatchObject({
      address: '10.0.0.7',
    });
  });
});

describe('safeRequest', () => {
  let port = 0;
  const server = createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
      return;
    }
    res.writeHead(201).end('x'.repeat(10_000));
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('connects to the address it checked, keeps a bounded answer and follows no redirect', async () => {
    // The name resolves (stubbed) to loopback; allowed here, as an admin would for an intranet.
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const res = await safeRequest({
      url: `http://receiver.invalid:${port}/hook`,
      body: '{}',
      allowPrivate: true,
      timeoutMs: 2_000,
      maxResponseBytes: 100,
      resolve,
    });
    expect(res).toEqual({ status: 201, body: 'x'.repeat(100) });
    const redirected = await safeRequest({
      url: `http://receiver.invalid:${port}/redirect`,
      allowPrivate: true,
      timeoutMs: 2_000,
      resolve,
    });
    expect(redirected.status).toBe(302);
  });

  it('never connects to a refused destination', async () => {
    await expect(
      safeRequest({ url: `http://127.0.0.1:${port}/hook`, allowPrivate: false, timeoutMs: 2_000 }),
    ).rejects.toThrow(/private or reserved/);
  });
});
