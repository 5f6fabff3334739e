// Typing signals in both directions, with timers injected so the throttling is testable.

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Re-send `typing:true` at most this often while the visitor keeps typing. */
export const TYPING_THROTTLE_MS = 2_000;
/** Send `typing:false` after this long without a keystroke. */
export const TYPING_IDLE_MS = 3_000;
/** Hide the agent's indicator if the server never says `typing:false` (lost packet, agent left). */
export const AGENT_TYPING_TIMEOUT_MS = 5_000;

/** Turns keystrokes into throttled `typing` events for the server. */
export class TypingEmitter {
  private typing = false;
  private lastSent = Number.NEGATIVE_INFINITY;
  private idle: unknown = null;

  constructor(
    private readonly emit: (typing: boolean) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Call on every input event. */
  input(): void {
    const now = this.timers.now();
    if (!this.typing || now - this.lastSent >= TYPING_THROTTLE_MS) {
      this.typing = true;
      this.lastSent = now;
      this.emit(true);
    }
    this.clearIdle();
    this.idle = this.timers.setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  /** Call on send (and when the composer is emptied): the visitor is no longer typing. */
  stop(): void {
    this.clearIdle();
    if (!this.typing) return;
    this.typing = false;
    this.lastSent = Number.NEGATIVE_INFINITY;
    this.emit(false);
  }

  private clearIdle(): void {
    if (this.idle !== null) this.timers.clearTimeout(this.idle);
    this.idle = null;
  }
}

/** Tracks the agent's `typing` events and hides the indicator on its own after a while. */
export class AgentTyping {
  private visible = false;
  private expiry: unknown = null;

  constructor(
    private readonly onChange: (visible: boolean) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  get isVisible(): boolean {
    return this.visible;
  }

  update(typing: boolean): void {
    if (this.expiry !== null) this.timers.clearTimeout(this.expiry);
    this.expiry = null;
    if (typing) {
      this.expiry = this.timers.setTimeout(() => this.update(false), AGENT_TYPING_TIMEOUT_MS);
    }
    if (typing !== this.visible) {
      this.visible = typing;
      this.onChange(typing);
    }
  }
}
