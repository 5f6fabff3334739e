import { z } from 'zod';
import {
  ChannelSendError,
  type ChannelDefinition,
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

/**
 * A channel kind backed by a ScriptedProvider, for tests of the platform (delivery, media,
 * credentials). `apiKey` is an optional credential so inboxes can be made with or without one.
 */
export function scriptedChannel(
  kind: ChannelKind,
  provider: ScriptedProvider,
  opts: { validate?: (apiKey: string | undefined) => Promise<{ name?: string } | void> } = {},
): ChannelDefinition<{ apiKey?: string | undefined }> {
  return {
    kind,
    displayName: `Scripted ${kind}`,
    recipientKind: RECIPIENT[kind] ?? 'phone',
    supportsTyping: false,
    threaded: false,
    credentials: z.object({ apiKey: z.string().min(8).optional() }).strict(),
    credentialKeys: ['apiKey'],
    routingKey: (c) => (c.apiKey ? `key-${c.apiKey.slice(-4)}` : null),
    ...(opts.validate ? { validate: (c) => opts.validate!(c.apiKey) } : {}),
    create: () => ({
      send: (message, { signal }) => provider.send(message, signal),
      fetchMedia: (ref) => provider.fetch(ref),
    }),
  };
}
