import { z } from 'zod';
import { timingSafeEqual } from 'node:crypto';
import {
  ChannelParseError,
  ChannelSendError,
  type ChannelDefinition,
  type EnvInboxSpec,
  type ParsedEvent,
  type ChannelKind,
  type FetchedMedia,
  type IdentityKind,
  type MediaRef,
  type OutboundMessage,
  type SendResult,
} from '../../channels/types';

/** A provider the test controls: it records what was sent and fails the way it is told to. */
export class ScriptedProvider {
  readonly sent: OutboundMessage[] = [];
  failures: ChannelSendError[] = [];
  /** Each send takes this long (to test leases and timeouts). */
  delayMs = 0;
  /** Files `fetchMedia` can return, by `ref.id`. */
  readonly media = new Map<string, FetchedMedia>();
  readonly mediaCalls: MediaRef[] = [];
  /** What the scripted receiver polls, and which instance ids took each batch. */
  readonly queue: ParsedEvent[][] = [];
  readonly polledBy: string[] = [];

  async send(message: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    if (this.delayMs) await wait(this.delayMs, signal);
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(message);
    return { providerMessageId: `SM${this.sent.length}` };
  }

  async fetch(ref: MediaRef): Promise<FetchedMedia> {
    this.mediaCalls.push(ref);
    const file = this.media.get(String(ref['id']));
    if (!file) throw new Error(`no such file at the provider: ${String(ref['id'])}`);
    return file;
  }
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new ChannelSendError('aborted', true));
    });
  });
}

const RECIPIENT: Partial<Record<ChannelKind, IdentityKind>> = {
  sms: 'phone',
  voice: 'phone',
  email: 'email',
  telegram: 'telegram',
};

const webhookBody = z.object({
  id: z.string(),
  from: z.string(),
  text: z.string(),
  chat: z.string().optional(),
});

/**
 * A channel kind backed by a ScriptedProvider, for tests of the platform (delivery, media,
 * credentials, webhooks, receivers). `apiKey` is an optional credential: when set, webhooks
 * must carry it in `x-scripted-key`. With `receiver`, an instance polls `provider.queue`.
 */
export function scriptedChannel(
  kind: ChannelKind,
  provider: ScriptedProvider,
  opts: {
    validate?: (apiKey: string | undefined) => Promise<{ name?: string } | void>;
    env?: EnvInboxSpec;
    receiver?: { instanceId: string };
  } = {},
): ChannelDefinition<{ apiKey?: string | undefined }> {
  return {
    kind,
    displayName: `Scripted ${kind}`,
    recipientKind: RECIPIENT[kind] ?? 'phone',
    supportsTyping: false,
    threaded: false,
    credentials: z.object({ apiKey: z.string().min(8).optional() }).strict(),
    credentialKeys: ['apiKey'],
    webhook: { provider: 'scripted', subPaths: ['in'] },
    routingKey: (c) => (c.apiKey ? `key-${c.apiKey.slice(-4)}` : null),
    ...(opts.validate ? { validate: (c) => opts.validate!(c.apiKey) } : {}),
    ...(opts.env ? { fromEnv: () => opts.env } : {}),
    create: (_inbox, credentials) => ({
      verify(req) {
        if (!credentials.apiKey) return { ok: true };
        const given = Buffer.from(req.headers['x-scripted-key'] ?? '');
        const expected = Buffer.from(credentials.apiKey);
        return given.length === expected.length && timingSafeEqual(given, expected)
          ? { ok: true }
          : { ok: false, reason: 'wrong or missing x-scripted-key' };
      },
      parse(req) {
        const body = webhookBody.safeParse(req.body);
        if (!body.success) throw new ChannelParseError('not a scripted message');
        return [
          {
            type: 'message',
            message: {
              sender: { kind: RECIPIENT[kind] ?? 'phone', value: body.data.from },
              providerMessageId: body.data.id,
              text: body.data.text,
              attachments: [],
              ...(body.data.chat ? { channelRef: { chat: body.data.chat } } : {}),
            },
          },
        ];
      },
      send: (message, { signal }) => provider.send(message, signal),
      fetchMedia: (ref) => provider.fetch(ref),
      ...(opts.receiver
        ? {
            receiver: {
              async run(ctx) {
                ctx.health('connected');
                let seen = Number(ctx.state['seen'] ?? 0);
                while (!ctx.signal.aborted) {
                  const batch = provider.queue.shift();
                  if (batch) {
                    provider.polledBy.push(opts.receiver!.instanceId);
                    seen += batch.length;
                    await ctx.deliver(batch, { seen });
                  } else await new Promise((r) => setTimeout(r, 20));
                }
              },
            },
          }
        : {}),
    }),
  };
}
