import { describe, it, expect } from 'vitest';
import { AgentTyping, TypingEmitter, type Timers } from './typing';

/** A manual clock: timers fire only when `advance` passes their due time. */
function fakeTimers(): Timers & { advance(ms: number): void } {
  let now = 0;
  let next = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      next += 1;
      pending.set(next, { at: now + ms, fn });
      return next;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= until)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = until;
    },
  };
}

describe('TypingEmitter', () => {
  it('sends typing:true at most once every 2 s while typing', () => {
    const timers = fakeTimers();
    const sent: boolean[] = [];
    const emitter = new TypingEmitter((v) => sent.push(v), timers);
    emitter.input();
    for (let i = 0; i < 9; i += 1) {
      timers.advance(200);
      emitter.input();
    }
    expect(sent).toEqual([true]); // 1.8 s of typing
    timers.advance(200);
    emitter.input();
    expect(sent).toEqual([true, true]); // 2 s later: one heartbeat
  });

  it('sends typing:false after 3 s idle', () => {
    const timers = fakeTimers();
    const sent: boolean[] = [];
    const emitter = new TypingEmitter((v) => sent.push(v), timers);
    emitter.input();
    timers.advance(2_999);
    expect(sent).toEqual([true]);
    timers.advance(1);
    expect(sent).toEqual([true, false]);
    timers.advance(10_000);
    expect(sent).toEqual([true, false]);
  });

  it('sends typing:false on send, once', () => {
    const timers = fakeTimers();
    const sent: boolean[] = [];
    const emitter = new TypingEmitter((v) => sent.push(v), timers);
    emitter.input();
    emitter.stop();
    emitter.stop();
    timers.advance(5_000);
    expect(sent).toEqual([true, false]);
    // Typing again right after sending is announced at once, not throttled.
    emitter.input();
    expect(sent).toEqual([true, false, true]);
  });
});

describe('AgentTyping', () => {
  it('shows on true, hides on false', () => {
    const timers = fakeTimers();
    const changes: boolean[] = [];
    const agent = new AgentTyping((v) => changes.push(v), timers);
    agent.update(true);
    agent.update(true);
    agent.update(false);
    expect(changes).toEqual([true, false]);
  });

  it('hides by itself 5 s after the last typing:true', () => {
    const timers = fakeTimers();
    const changes: boolean[] = [];
    const agent = new AgentTyping((v) => changes.push(v), timers);
    agent.update(true);
    timers.advance(4_000);
    agent.update(true); // refreshed
    timers.advance(4_000);
    expect(agent.isVisible).toBe(true);
    timers.advance(1_000);
    expect(agent.isVisible).toBe(false);
    expect(changes).toEqual([true, false]);
  });
});
