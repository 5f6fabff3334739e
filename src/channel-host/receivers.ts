import type { Logger } from '../logger';
import type { LeaseService } from '../jobs/leases';
import type { InboxRepository } from '../inboxes/inbox.repository';
import type { ChannelHost, LiveInbox } from './channel-host';
import type { HealthTracker } from './health';
import type { InboundProcessor } from './inbound';

interface Running {
  version: number;
  controller: AbortController;
  done: Promise<void>;
}

export interface ReceiverOptions {
  /** How often each instance looks for receivers to run (and renews its leases). */
  tickMs: number;
  /** A lease not renewed for this long is taken over by another instance. */
  leaseMs: number;
}

/**
 * Long-lived receivers (long polling, IMAP IDLE) run in exactly one instance per inbox: the one
 * holding the inbox's lease, renewed every tick. If that instance dies, another takes the lease
 * once it expires (within `leaseMs + tickMs`). A receiver that fails is restarted with backoff
 * while the lease is held; one whose inbox changed is restarted with the new configuration.
 */
export class ReceiverSupervisor {
  private readonly running = new Map<string, Running>();
  private readonly tokens = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly host: ChannelHost,
    private readonly leases: LeaseService,
    private readonly inboxes: InboxRepository,
    private readonly inbound: InboundProcessor,
    private readonly health: HealthTracker,
    private readonly logger: Logger,
    private readonly holder: string,
    private readonly opts: ReceiverOptions,
  ) {
    host.onChange((inboxId) => this.halt(inboxId));
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs);
    this.tick();
  }

  /**
   * Stops every receiver here. Leases are given up so another instance takes over at once;
   * `release: false` leaves them to expire, as a crashed instance would.
   */
  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    const ids = [...this.running.keys()];
    await Promise.allSettled(ids.map((id) => this.halt(id, opts.release ?? true)));
  }

  /** Inbox ids whose receiver runs in this instance. */
  held(): string[] {
    return [...this.running.keys()];
  }

  private tick(): void {
    if (this.stopped || this.ticking) return;
    this.ticking = this.reconcile()
      .catch((err: unknown) => this.logger.warn({ err }, 'receiver supervision failed'))
      .finally(() => (this.ticking = undefined));
  }

  private async reconcile(): Promise<void> {
    await this.host.sync();
    const wanted = (await this.host.enabledInboxes()).filter((l) => l.instance.receiver);
    const wantedIds = new Set(wanted.map((l) => l.inbox.id));
    for (const id of this.running.keys()) if (!wantedIds.has(id)) await this.halt(id, true);
    for (const live of wanted) {
      const name = leaseName(live.inbox.id);
      const token = this.tokens.get(live.inbox.id);
      if (token !== undefined) {
        if (await this.leases.renew(name, this.holder, token, this.opts.leaseMs)) continue;
        this.logger.warn({ inboxId: live.inbox.id }, 'receiver lease lost; stopping here');
        await this.halt(live.inbox.id);
        continue;
      }
      const acquired = await this.leases.acquire(name, this.holder, this.opts.leaseMs);
      if (acquired === null) continue;
      this.tokens.set(live.inbox.id, acquired);
      this.launch(live);
    }
  }

  private launch(live: LiveInbox): void {
    const id = live.inbox.id;
    const controller = new AbortController();
    const entry: Running = { version: live.inbox.version, controller, done: Promise.resolve() };
    this.running.set(id, entry);
    entry.done = this.loop(live, controller.signal);
  }

  /** Runs the receiver until stopped; failures restart it with backoff (1 s doubling to 60 s). */
  private async loop(live: LiveInbox, signal: AbortSignal): Promise<void> {
    const id = live.inbox.id;
    let delay = 1_000;
    while (!signal.aborted) {
      const state = (await this.inboxes.find(id))?.channelState ?? {};
      try {
        await live.instance.receiver!.run({
          signal,
          state,
          deliver: async (events, nextState) => {
            await this.inbound.process(live, events, 'receiver');
            if (nextState) await this.inboxes.setChannelState(id, nextState);
            delay = 1_000;
          },
          saveState: (next) => this.inboxes.setChannelState(id, next),
          health: (status, error, detail) =>
            status === 'connected'
              ? this.health.ok(id, detail)
              : this.health.failing(id, error ?? 'failing', detail),
        });
        if (signal.aborted) break;
        // A receiver that returns on its own is restarted after a breath.
      } catch (err) {
        if (signal.aborted) break;
        this.health.failing(id, (err as Error).message || String(err));
      }
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 60_000);
    }
  }

  /** Stops this instance's receiver of an inbox (and gives its lease up when asked). */
  private async halt(inboxId: string, release = false): Promise<void> {
    const entry = this.running.get(inboxId);
    if (!entry) return;
    this.running.delete(inboxId);
    entry.controller.abort();
    await entry.done.catch(() => undefined);
    const token = this.tokens.get(inboxId);
    this.tokens.delete(inboxId);
    if (release && token !== undefined)
      await this.leases.release(leaseName(inboxId), this.holder, token).catch(() => undefined);
  }
}

const leaseName = (inboxId: string) => `receiver:${inboxId}`;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
