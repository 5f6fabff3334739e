import fc from 'fast-check';
import type { ChannelDefinition, ChannelKind } from '../../channels/types';
import type { Api } from '../helpers/server';
import twilio from 'twilio';
import { smsChannel, type TwilioDeps } from '../../channels/sms/definition';
import { voiceChannel, type VoiceDirectory } from '../../channels/voice/definition';
import { ScriptedProvider, scriptedChannel } from '../helpers/scripted-channel';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fakes/twilio';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fakes/telegram';

/**
 * How to reach and sign each channel kind's webhook, for the webhook fuzz suite. A channel
 * with a webhook adds its target here: the suite checks that every kind has one.
 */
export interface WebhookTarget {
  kind: ChannelKind;
  provider: string;
  subPaths: string[];
  /** Channel definitions the test server needs (fakes, or a real channel with test deps). */
  channels: ChannelDefinition[];
  /** Before the server starts (a fake provider); returns environment variables it needs. */
  prepare?(): Promise<Record<string, string>>;
  /** Creates the inbox (and any fake provider); returns its id. */
  setUp(admin: Api): Promise<string>;
  tearDown?(): Promise<void>;
  /** Valid-looking payloads with hostile values inside, as raw bodies. */
  shaped(value: fc.Arbitrary<unknown>): fc.Arbitrary<string>;
  /** What the provider would send: the body and the headers that make it pass verification. */
  sign(url: string, body: string): { body: string; headers: Record<string, string> };
}

const scriptedKey = 'fuzz-key-123456';

// A kind no real channel claims yet, so the scripted stand-in does not replace a real one.
const scripted: WebhookTarget = {
  kind: 'botframework',
  provider: 'scripted',
  subPaths: ['in'],
  channels: [scriptedChannel('botframework', new ScriptedProvider())],
  async setUp(admin) {
    const res = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
      name: 'Fuzzed scripted',
      channel: 'botframework',
      settings: { apiKey: scriptedKey },
    });
    return res.body.id;
  },
  shaped: (value) =>
    fc
      .record({ id: value, from: value, text: value, chat: value }, { requiredKeys: [] })
      .map((v) => JSON.stringify(v)),
  sign: (_url, body) => ({
    body,
    headers: { 'content-type': 'application/json', 'x-scripted-key': scriptedKey },
  }),
};

// ---- Twilio (SMS and Phone), the real channels against the fake Twilio -------------------------

const TWILIO_ACCOUNT = 'ACa1b2c3d4e5f60718293a4b5c6d7e8f90';
const TWILIO_TOKEN = '0123456789abcdef0123456789abcdef';
const TWILIO_NUMBER = '+15555550100';
/** Filled by the first set-up: the channels read it when they are built and when they validate. */
const twilioDeps: TwilioDeps = {};
let fakeTwilio: FakeTwilio | undefined;
/** PUBLIC_URL's origin, which Twilio signs (from the inbox's webhook addresses). */
let publicOrigin = '';

const noCalls: VoiceDirectory = {
  languageOf: async () => null,
  hours: async () => ({ open: true, opensAt: null, timeZone: 'UTC' }),
  onDutyAgents: async () => [],
  callHistory: async () => [],
};

const TWILIO_FIELDS = [
  'MessageSid',
  'SmsSid',
  'AccountSid',
  'From',
  'To',
  'Body',
  'NumMedia',
  'MediaUrl0',
  'MediaContentType0',
  'OptOutType',
  'MessageStatus',
  'ErrorCode',
  'CallSid',
  'ParentCallSid',
  'CallStatus',
  'Direction',
  'CallDuration',
  'Digits',
  'SpeechResult',
  'DialCallStatus',
  'DialCallDuration',
  'RecordingSid',
  'RecordingUrl',
  'RecordingStatus',
  'RecordingDuration',
  'TranscriptionStatus',
  'TranscriptionText',
] as const;

function twilioTarget(kind: 'sms' | 'voice', subPaths: string[]): WebhookTarget {
  return {
    kind,
    provider: 'twilio',
    subPaths,
    channels: [
      kind === 'sms'
        ? smsChannel(twilioDeps)
        : voiceChannel(
            Object.assign(twilioDeps, {
              directory: noCalls,
              playUrl: (id: string) => `https://switchboard.invalid/media/${id}`,
            }),
          ),
    ],
    async setUp(admin) {
      if (!fakeTwilio) {
        fakeTwilio = await startFakeTwilio();
        fakeTwilio.addAccount({ accountSid: TWILIO_ACCOUNT, authToken: TWILIO_TOKEN });
        fakeTwilio.addNumber(TWILIO_ACCOUNT, { phoneNumber: TWILIO_NUMBER });
        twilioDeps.apiBase = fakeTwilio.url;
      }
      const res = await admin.send<{ id: string; webhookUrls: string[] }>(
        'POST',
        '/api/v1/inboxes',
        {
          name: `Fuzzed ${kind}`,
          channel: kind,
          settings: {
            accountSid: TWILIO_ACCOUNT,
            authToken: TWILIO_TOKEN,
            phoneNumber: TWILIO_NUMBER,
          },
        },
      );
      if (res.status !== 201)
        throw new Error(`could not create the ${kind} inbox: ${JSON.stringify(res.body)}`);
      publicOrigin = new URL(res.body.webhookUrls[0]!).origin;
      return res.body.id;
    },
    async tearDown() {
      await fakeTwilio?.close();
      fakeTwilio = undefined;
    },
    // Twilio's form fields, each present or not, each a hostile value as a string.
    shaped: (value) =>
      fc
        .record(
          Object.fromEntries(TWILIO_FIELDS.map((f) => [f, value])) as Record<
            (typeof TWILIO_FIELDS)[number],
            fc.Arbitrary<unknown>
          >,
          { requiredKeys: [] },
        )
        .map((v) => {
          const form = new URLSearchParams();
          for (const [key, field] of Object.entries(v))
            form.set(key, typeof field === 'string' ? field : (JSON.stringify(field) ?? ''));
          return form.toString();
        }),
    sign(url, body) {
      // Signed as Twilio signs: PUBLIC_URL + path + query and the posted fields.
      const target = new URL(url);
      const signed = `${publicOrigin}${target.pathname}${target.search}`;
      const params = Object.fromEntries(new URLSearchParams(body));
      return {
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(TWILIO_TOKEN, signed, params),
        },
      };
    },
  };
}

// ---- Telegram, the real channel against the fake Bot API ------------------------------------

let telegramFake: FakeTelegram | undefined;
const telegramBot = {
  token: '700100:fuzz-token-abcdefghijklmnopqrstuv',
  id: 700100,
  username: 'fuzz_bot',
  firstName: 'Fuzz',
};
const telegramSecret = 'fuzz-secret-123456';

const telegram: WebhookTarget = {
  kind: 'telegram',
  provider: 'telegram',
  subPaths: [''],
  channels: [],
  async prepare() {
    telegramFake = await startFakeTelegram();
    telegramFake.addBot(telegramBot);
    return { TELEGRAM_API_ROOT: telegramFake.url };
  },
  async setUp(admin) {
    const res = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
      channel: 'telegram',
      settings: { botToken: telegramBot.token, webhookSecret: telegramSecret },
    });
    return res.body.id;
  },
  tearDown: async () => telegramFake?.close(),
  shaped: (value) =>
    fc
      .record(
        {
          update_id: fc.oneof(fc.integer(), value),
          message: fc.record(
            {
              message_id: fc.oneof(fc.nat(), value),
              date: fc.oneof(fc.nat(), value),
              text: value,
              caption: value,
              chat: fc.record(
                { id: fc.oneof(fc.integer(), value), type: value },
                { requiredKeys: [] },
              ),
              from: fc.record(
                { id: fc.oneof(fc.integer(), value), first_name: value, language_code: value },
                { requiredKeys: [] },
              ),
              photo: value,
              document: value,
              contact: value,
              location: value,
              reply_to_message: value,
              media_group_id: value,
            },
            { requiredKeys: [] },
          ),
          edited_message: value,
          callback_query: value,
          my_chat_member: value,
        },
        { requiredKeys: [] },
      )
      .map((v) => JSON.stringify(v)),
  sign: (_url, body) => ({
    body,
    headers: {
      'content-type': 'application/json',
      'x-telegram-bot-api-secret-token': telegramSecret,
    },
  }),
};

export const webhookTargets: WebhookTarget[] = [
  scripted,
  telegram,
  twilioTarget('sms', ['sms', 'status']),
  twilioTarget('voice', [
    'voice',
    'voice?step=lang&attempt=1',
    'voice?step=menu&lang=fa&attempt=1',
    'voice?step=dial&lang=ru&caller=%2B79161234567',
    'voice?step=answered&agent=nobody',
    'voice?step=recorded&lang=en',
    'voice?step=recording&lang=ru&caller=%2B79161234567',
    'voice?step=transcription&lang=en',
    'voice?step=unknown',
    'voice-status',
    'status',
  ]),
];
