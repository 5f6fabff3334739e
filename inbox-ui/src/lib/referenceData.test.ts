import { describe, expect, it } from 'vitest';
import type { Page } from '../api/types';
import { loadLists } from './referenceData';

const page = <T>(items: T[]): Promise<Page<T>> => Promise.resolve({ items, nextCursor: null });
const refused = <T>(): Promise<Page<T>> => Promise.reject(new Error('503 Service Unavailable'));

describe('loadLists', () => {
  it('hands over every list and reports nothing missing when all arrive', async () => {
    const shown: Record<string, unknown[]> = {};
    const missing = await loadLists(
      { teams: () => page([{ id: 't1' }]), labels: () => page(['vip', 'billing']) },
      (key, items) => {
        shown[key] = items;
      },
    );
    expect(missing).toEqual([]);
    expect(shown).toEqual({ teams: [{ id: 't1' }], labels: ['vip', 'billing'] });
  });

  it('names the lists that failed and still shows the others', async () => {
    const shown: string[] = [];
    const missing = await loadLists(
      { users: refused<string>, teams: () => page(['t1']), labels: refused<string> },
      (key) => shown.push(key),
    );
    expect(missing).toEqual(['users', 'labels']);
    expect(shown).toEqual(['teams']);
  });

  it('shows each list as soon as it arrives, not when the slowest one does', async () => {
    let releaseSlow: (p: Page<string>) => void = () => {};
    const slow = new Promise<Page<string>>((resolve) => {
      releaseSlow = resolve;
    });
    const shown: string[] = [];
    const done = loadLists({ fast: () => page(['a']), slow: () => slow }, (key) => shown.push(key));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(shown).toEqual(['fast']);
    releaseSlow({ items: ['b'], nextCursor: null });
    await expect(done).resolves.toEqual([]);
    expect(shown).toEqual(['fast', 'slow']);
  });

  it('has nothing to do for no loaders', async () => {
    await expect(loadLists({}, () => {})).resolves.toEqual([]);
  });
});
