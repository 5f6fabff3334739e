import { api } from '../api/client';
import type { Conversation, Page, User } from '../api/types';
import { filterKey, toQuery } from './filters';
import type { ListFilter } from './filters';
import { parseRoute } from './router';

// The first screen needs the session and the first page of the list. Both requests start as
// soon as the script runs, in parallel, instead of one after the other once React has rendered.

let session: Promise<{ user: User }> | null = null;
let firstPage: { key: string; promise: Promise<Page<Conversation>> } | null = null;

export function startPrefetch(hash: string): void {
  session = api.me();
  session.catch(() => {});
  const route = parseRoute(hash);
  if (route.screen === 'inbox') prefetchList(route.filter);
}

function prefetchList(filter: ListFilter): void {
  const promise = api.conversations(toQuery(filter));
  firstPage = { key: filterKey(filter), promise };
  // Signed out: forget it, so the list asks again after sign-in.
  promise.catch(() => {
    if (firstPage?.promise === promise) firstPage = null;
  });
}

/** The session request started at boot, once; later calls ask the server again. */
export function takeSession(): Promise<{ user: User }> {
  const pending = session;
  session = null;
  return pending ?? api.me();
}

/** The prefetched first page when it is for this list, once. */
export function takeFirstPage(key: string): Promise<Page<Conversation>> | null {
  if (!firstPage || firstPage.key !== key) return null;
  const { promise } = firstPage;
  firstPage = null;
  return promise;
}
