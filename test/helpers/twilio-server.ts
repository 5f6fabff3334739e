import { startFakeTwilio, postTwilioWebhook, type FakeTwilio } from './fakes/twilio';
import type { PostTwilioWebhookOptions } from './fakes/twilio';
import { freePort, login, startTestServer, type Api, type TestServer } from './server';

/** The account, token and number of the Twilio fixtures (test/fixtures/twilio/README.md). */
export const ACCOUNT = 'ACa1b2c3d4e5f60718293a4b5c6d7e8f90';
export const TOKEN = '0123456789abcdef0123456789abcdef';
export const NUMBER = '+15555550100';

export interface TwilioTest {
  t: TestServer;
  fake: FakeTwilio;
  admin: Api;
  smsInboxId: string;
  voiceInboxId: string;
  /** POSTs a webhook as Twilio would, signed for PUBLIC_URL + path (the URL Twilio knows). */
  post(
    path: string,
    params: Record<string, string>,
    opts?: PostTwilioWebhookOptions,
  ): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The whole server with the Twilio inboxes made from TWILIO_* variables, its REST calls going
 * to a fake Twilio. PUBLIC_URL is the server's own loopback address, so the fake's signed status
 * callbacks reach it (and nothing leaves the machine).
 */
export async function startTwilioTest(env: Record<string, string> = {}): Promise<TwilioTest> {
  const fake = await startFakeTwilio();
  fake.addAccount({ accountSid: ACCOUNT, authToken: TOKEN, friendlyName: 'Switchboard test' });
  fake.addNumber(ACCOUNT, { phoneNumber: NUMBER });
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const t = await startTestServer({
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_PHONE_NUMBER: NUMBER,
    TWILIO_API_BASE: fake.url,
    ...env,
  });
  const admin = await login(t.url);
  const inboxes = await admin.get<{ items: { id: string; channel: string }[] }>('/api/v1/inboxes');
  const idOf = (channel: string) => inboxes.body.items.find((i) => i.channel === channel)?.id ?? '';
  return {
    t,
    fake,
    admin,
    smsInboxId: idOf('sms'),
    voiceInboxId: idOf('voice'),
    post: (path, params, opts = {}) =>
      postTwilioWebhook(`${t.url}${path}`, params, TOKEN, {
        signatureUrl: `${publicUrl}${path}`,
        ...opts,
      }),
    stop: async () => {
      await t.stop();
      await fake.close();
    },
  };
}

export async function waitFor<T>(
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
