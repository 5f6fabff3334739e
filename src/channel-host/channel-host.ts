import type {
  ChannelDefinition,
  ChannelInstance,
  ChannelKind,
  OutboundMessage,
  SendResult,
} from '../../channels/types';
import { ChannelSendError } from '../../channels/types';
import type { InboxRow } from '../db/schema';
import type { InboxRepository } from '../inboxes/inbox.repository';
import type { Logger } from '../logger';
import type { SecretBox } from './secret-box';

/** An inbox with its definition and its running instance. */
export interface LiveInbox {
  inbox: InboxRow;
  definition: ChannelDefinition;
  instance: ChannelInstance;
}

/**
 * The channel host: one table of channel definitions by kind, and one registry of live channel
 * instances by inbox (several bots, numbers and mailboxes of one kind side by side). An
 * instance is built from the inbox row and its decrypted credentials, and rebuilt when the
 * inbox's version changes (here through `changed()`, elsewhere through `sync()`).
 */
export class ChannelHost {
  private readonly definitions = new Map<ChannelKind, ChannelDefinition>();
  private readonly live = new Map<string, LiveInbox>();
  private readonly building = new Map<string, Promise<LiveInbox | undefined>>();
  private readonly listeners: ((inboxId: string) => void)[] = [];

  constructor(
    definitions: ChannelDefinition[],
    private readonly inboxes: InboxRepository,
    private readonly secrets: SecretBox,
    private readonly publicUrl: string,
    private readonly logger: Logger,
  ) {
    for (const d of definitions) {
      if (this.definitions.has(d.kind)) throw new Error(`channel ${d.kind} is defined twice`);
      this.definitions.set(d.kind, d);
    }
  }

  definition(kind: ChannelKind): ChannelDefinition | undefined {
    return this.definitions.get(kind);
  }

  kinds(): ChannelKind[] {
    return [...this.definitions.keys()];
  }

  allDefinitions(): ChannelDefinition[] {
    return [...this.definitions.values()];
  }

  /** Credentials of an inbox row, opened; {} when it has none. */
  credentialsOf(row: Pick<InboxRow, 'credentials'>): Record<string, unknown> {
    if (!row.credentials) return {};
    const value = this.secrets.openJson(row.credentials);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  }

  /** The live channel of an enabled inbox, built on first use; undefined when there is none. */
  async get(inboxId: string): Promise<LiveInbox | undefined> {
    const cached = this.live.get(inboxId);
    if (cached) return cached;
    let pending = this.building.get(inboxId);
    if (!pending) {
      pending = this.build(inboxId).finally(() => this.building.delete(inboxId));
      this.building.set(inboxId, pending);
    }
    return pending;
  }

  /** The inbox changed on this instance: drop its live channel now. */
  changed(inboxId: string): void {
    const old = this.live.get(inboxId);
    this.live.delete(inboxId);
    if (old) void this.close(old);
    for (const listener of this.listeners) listener(inboxId);
  }

  /** Called with an inbox id whenever its live channel is dropped (receivers restart). */
  onChange(listener: (inboxId: string) => void): void {
    this.listeners.push(listener);
  }

  /** Compares versions with the database: inboxes changed by another instance are rebuilt. */
  async sync(): Promise<void> {
    const rows = await this.inboxes.versions();
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      const cached = this.live.get(row.id);
      if (cached && (cached.inbox.version !== row.version || !row.enabled)) this.changed(row.id);
    }
    for (const id of this.live.keys()) if (!seen.has(id)) this.changed(id);
  }

  /** Live inboxes currently built (for receivers and health). */
  async enabledInboxes(): Promise<LiveInbox[]> {
    const rows = (await this.inboxes.all()).filter((r) => r.enabled);
    const out: LiveInbox[] = [];
    for (const row of rows) {
      const live = await this.get(row.id);
      if (live) out.push(live);
    }
    return out;
  }

  async send(inboxId: string, message: OutboundMessage, signal: AbortSignal): Promise<SendResult> {
    const live = await this.get(inboxId);
    if (!live)
      throw new ChannelSendError(
        'this inbox has no working channel (disabled, unknown kind or bad credentials)',
        false,
      );
    return live.instance.send(message, { signal });
  }

  /** Shows the agent's typing to the customer where the channel can (never for notes). */
  async typing(
    conversation: { id: string; inboxId: string; channelRef: Record<string, unknown> | null },
    typing: boolean,
  ): Promise<void> {
    const live = await this.get(conversation.inboxId);
    if (!live?.definition.supportsTyping) return;
    live.instance.typing?.(
      { conversationId: conversation.id, channelRef: conversation.channelRef },
      typing,
    );
  }

  async close(live?: LiveInbox): Promise<void> {
    const all = live ? [live] : [...this.live.values()];
    if (!live) this.live.clear();
    await Promise.allSettled(all.map((l) => l.instance.close?.()));
  }

  private async build(inboxId: string): Promise<LiveInbox | undefined> {
    const inbox = await this.inboxes.find(inboxId);
    if (!inbox || !inbox.enabled) return undefined;
    const definition = this.definitions.get(inbox.channel);
    if (!definition) return undefined;
    try {
      const credentials = definition.credentials.parse(this.credentialsOf(inbox));
      const instance = definition.create(
        {
          id: inbox.id,
          name: inbox.name,
          channel: inbox.channel,
          settings: inbox.settings,
          publicUrl: this.publicUrl,
          ...(definition.webhook
            ? {
                webhookUrl: [this.publicUrl, 'webhooks', definition.webhook.provider]
                  .concat(inbox.source === 'env' ? [] : [inbox.id])
                  .join('/'),
              }
            : {}),
        },
        credentials,
      );
      const live = { inbox, definition, instance };
      this.live.set(inboxId, live);
      return live;
    } catch (err) {
      // Never log the credentials themselves: only which inbox and why.
      this.logger.error(
        { inboxId, channel: inbox.channel, reason: (err as Error).message },
        'inbox channel could not be started',
      );
      return undefined;
    }
  }
}
