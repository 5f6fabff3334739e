import { useCallback, useRef, useState } from 'react';
import type { Page } from '../api/types';

/** One loader per list, e.g. `{ users: api.users, teams: api.teams }`. */
export type Loaders<T> = { [K in keyof T]: () => Promise<Page<T[K]>> };
export type Lists<T> = { [K in keyof T]: T[K][] };

/**
 * Starts every loader at once and hands each list to `show` as soon as it arrives. Resolves to
 * the names of the lists that could not be loaded: empty when everything arrived.
 */
export async function loadLists<T>(
  loaders: Loaders<T>,
  show: <K extends keyof T>(key: K, items: T[K][]) => void,
): Promise<(keyof T)[]> {
  const missing = new Set<keyof T>();
  async function one<K extends keyof T>(key: K): Promise<void> {
    let page: Page<T[K]>;
    try {
      page = await loaders[key]();
    } catch {
      missing.add(key);
      return;
    }
    show(key, page.items);
  }
  const keys = Object.keys(loaders) as (keyof T)[];
  await Promise.all(keys.map(one));
  return keys.filter((key) => missing.has(key));
}

function emptyLists<T>(loaders: Loaders<T>): Lists<T> {
  const lists = {} as Lists<T>;
  for (const key of Object.keys(loaders) as (keyof T)[]) lists[key] = [];
  return lists;
}

/**
 * The lists that fill menus and pickers (agents, teams, labels, …). `reload()` fetches them all
 * again and resolves to false when any could not be loaded; `failed` says the same for the latest
 * reload, so the screen can tell the agent instead of showing an empty menu without a word.
 * `loaders` must be a constant: `reload` changes with it.
 */
export function useReferenceData<T>(loaders: Loaders<T>) {
  const [lists, setLists] = useState<Lists<T>>(() => emptyLists(loaders));
  const [failed, setFailed] = useState(false);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const call = ++latest.current;
    const missing = await loadLists(loaders, (key, items) =>
      setLists((prev) => {
        const next = { ...prev };
        next[key] = items;
        return next;
      }),
    );
    // An older reload finishing late must not overrule the newer one's outcome.
    if (call !== latest.current) return true;
    setFailed(missing.length > 0);
    return missing.length === 0;
  }, [loaders]);

  return { lists, failed, reload };
}
