/**
 * Something read from the database and kept in memory, for the checks that must answer without
 * a query (a durable listener's `active()`): `current()` answers from the last copy at once and,
 * when that copy is older than `maxAgeMs`, reads it again in the background (one read at a
 * time). `refresh()` reads it now: after this instance changed it, or before the first use.
 */
export class Snapshot<T> {
  private copy: { at: number; value: T } | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly opts: { maxAgeMs: number; onError?: (err: unknown) => void },
  ) {}

  async refresh(): Promise<void> {
    this.copy = { at: Date.now(), value: await this.load() };
  }

  /** The last copy (undefined before the first read has finished). */
  current(): T | undefined {
    if (!this.copy || Date.now() - this.copy.at > this.opts.maxAgeMs)
      this.loading ??= this.refresh()
        .catch((err: unknown) => this.opts.onError?.(err))
        .finally(() => (this.loading = undefined));
    return this.copy?.value;
  }
}
