import fc from 'fast-check';
import type { ChannelDefinition, ChannelKind } from '../../channels/types';
import type { Api } from '../helpers/server';
import { ScriptedProvider, scriptedChannel } from '../helpers/scripted-channel';

/**
 * How to reach and sign each channel kind's webhook, for the webhook fuzz suite. A channel
 * with a webhook adds its target here: the suite checks that every kind has one.
 */
export interface WebhookTarget {
  kind: ChannelKind;
  provider: string;
  subPaths: string[];
  /** Channel definitions the test server needs (fakes or the real channel). */
  channels: ChannelDefinition[];
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

export const webhookTargets: WebhookTarget[] = [scripted];
