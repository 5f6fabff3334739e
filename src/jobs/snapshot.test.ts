import { afterEach, describe, expect, it, vi } from 'vitest';
import { Snapshot } from './snapshot';

describe('a snapshot of database state', () => {
  afterEach(() => vi.useRealTimers());

  it('answers from memory, reads again in the background once stale, one read at a time', async () => {
    vi.useFakeTimers({ now: 0 });
    let reads = 0;
    const s = new Snapshot(async () => ++reads, { maxAgeMs: 5_000 });
    expect(s.current()).toBeUndefined();
    expect(s.current()).toBeUndefined();
    await vi.waitFor(() => expect(s.current()).toBe(1));
    expect(reads).toBe(1);
    vi.setSystemTime(6_000);
    expect(s.current()).toBe(1);
    s.current();
    await vi.waitFor(() => expect(s.current()).toBe(2));
    expect(reads).toBe(2);
    await s.refresh();
    expect(s.current()).toBe(3);
  });

  it('keeps the last copy and reports a failed read', async () => {
    const errors: unknown[] = [];
    let fail = false;
    const s = new Snapshot(
      async () => {
        if (fail) throw new Error('database gone');
        return 'ok';
      },
      { maxAgeMs: 0, onError: (e) => errors.push(e) },
    );
    await s.refresh();
    fail = true;
    await new Promise((r) => setTimeout(r, 5));
    expect(s.current()).toBe('ok');
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(s.current()).toBe('ok');
  });
});
