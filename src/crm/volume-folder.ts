import type { Executor } from '../db/client';
import type { Logger } from '../logger';
import { foldMessageVolume } from './report-volume';

/**
 * Folds the message-volume deltas into the rollup every `everyMs` (a minute by default), so a
 * report reads few unfolded rows. Every instance may run it: concurrent folds are safe.
 */
export class MessageVolumeFolder {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Executor,
    private readonly logger: Logger,
    private readonly everyMs = 60_000,
  ) {}

  start(): void {
    const tick = () =>
      void this.fold().catch((err: unknown) =>
        this.logger.error({ err }, 'folding message volume failed'),
      );
    this.timer = setInterval(tick, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One fold (joining one already under way); resolves to how many deltas it folded. */
  fold(): Promise<number> {
    return (this.running ??= foldMessageVolume(this.db).finally(() => (this.running = undefined)));
  }
}
