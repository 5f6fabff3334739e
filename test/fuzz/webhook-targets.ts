import fc from 'fast-check';
import type { ChannelDefinition, ChannelKind } from '../../channels/types';
import type { Api } from '../helpers/server';
import { ScriptedProvider, scriptedChannel } from '../helpers/scripted-channel';
import { startFakeTelegram, type FakeTelegram } from '../helpers/fakes/telegram';

/**
 * How to reach and sign each channel kind's webhook, for the webhook fuzz suite. A channel
 * with a webhook adds its target here: the suite checks that every kind has one.
 */
export interface WebhookTarget {
  kind: ChannelKind;
  provider: string;
  subPaths: string[];
  /** Channel definitions the test server needs (fakes; built-in kinds need none). */
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

const scripted: WebhookTarget = {
  kind: 'sms',
  provider: 'scripted',
  subPaths: ['in'],
  channels: [scriptedChannel('sms', new ScriptedProvider())],
  async setUp(admin) {
    const res = await admin.send<{ id: string }>('POST', '/api/v1/inboxes', {
      name: 'Fuzzed scripted',
      channel: 'sms',
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

export const webhookTargets: WebhookTarget[] = [scripted, telegram];
