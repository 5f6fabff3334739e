import type { InboxHealth } from '../db/schema';
import type { InboxRepository } from '../inboxes/inbox.repository';
import type { Logger } from '../logger';

/**
 * What admins see of an inbox's link to its provider: connected or failing, the last error and
 * when, the last message in, channel detail (e.g. "412 of 1,980 imported"). Kept in memory as it
 * happens and written to the inbox row shortly after (not once per message), so every instance
 * shows the same.
 */
export class HealthTracker {
  private readonly current = new Map<string, InboxHealth>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly inboxes: InboxRepository,
    private readonly logger: Logger,
    private readonly flushMs = 2_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** The stored health with anything newer from this instance on top. */
  view(inboxId: string, stored: InboxHealth): InboxHealth {
    const mine = this.current.get(inboxId);
    return mine ? { ...stored, ...mine } : stored;
  }

  messageIn(inboxId: string, at = new Date()): void {
    this.patch(inboxId, { lastMessageInAt: at.toISOString() });
  }

  ok(inboxId: string, detail?: Record<string, unknown>): void {
    this.patch(inboxId, {
      status: 'connected',
      lastOkAt: new Date().toISOString(),
      ...(detail ? { detail } : {}),
    });
  }

  failing(inboxId: string, error: string, detail?: Record<string, unknown>): void {
    const previous = this.current.get(inboxId);
    if (previous?.status !== 'failing' || previous.lastError !== error)
      this.logger.warn({ inboxId, error }, 'inbox channel is failing');
    this.patch(inboxId, {
      status: 'failing',
      lastError: error,
      lastErrorAt: new Date().toISOString(),
      ...(detail ? { detail } : {}),
    });
  }

  private patch(inboxId: string, change: InboxHealth): void {
    this.current.set(inboxId, { ...this.current.get(inboxId), ...change });
    this.dirty.add(inboxId);
  }

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const ids = [...this.dirty];
    this.dirty.clear();
    if (!ids.length) return;
    this.flushing = (async () => {
      for (const id of ids) {
        const row = await this.inboxes.find(id);
        if (!row) continue;
        await this.inboxes.setHealth(id, { ...row.health, ...this.current.get(id) });
      }
    })()
      .catch((err: unknown) => this.logger.warn({ err }, 'could not store inbox health'))
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }
}
