import { useCallback, useEffect, useReducer, useRef } from 'react';
import { api } from '../../api/client';
import type { Conversation, Message, Page, User } from '../../api/types';
import { PAGE_SIZE, matchesFilter, toQuery } from '../../lib/filters';
import type { ListFilter } from '../../lib/filters';
import { useLatest } from '../../lib/hooks';
import { initialListState, listReducer } from '../../lib/listState';
import { takeFirstPage } from '../../lib/prefetch';

interface Options {
  filter: ListFilter;
  /** `filterKey(filter)`: a new key loads the list from its first page. */
  listKey: string;
  me: User;
  activeId: string | null;
}

/**
 * The conversation list on screen, page by page, kept live by the events it is given. It also
 * remembers the last version of every conversation it has seen, so a change can be compared
 * with what the agent already had.
 */
export function useConversationList({ filter, listKey, me, activeId }: Options) {
  const [list, dispatch] = useReducer(listReducer, initialListState);
  const known = useRef(new Map<string, Conversation>());
  const loadingMore = useRef(false);
  const latest = useLatest({ filter, listKey, me, activeId, list });

  useEffect(() => {
    // Seed "what I already had" so only new assignments notify.
    api.conversations({ view: 'mine', limit: 100 }).then(
      (p) => p.items.forEach((c) => known.current.set(c.id, c)),
      () => {},
    );
  }, []);

  /** A page arrived for list `k`: remember its conversations and show it. */
  const showPage = useCallback((k: string, page: Page<Conversation>, append: boolean) => {
    page.items.forEach((c) => known.current.set(c.id, c));
    dispatch({
      type: 'page',
      key: k,
      items: page.items,
      nextCursor: page.nextCursor ?? null,
      append,
    });
  }, []);
  const showError = useCallback((k: string, err: unknown) => {
    dispatch({ type: 'error', key: k, message: err instanceof Error ? err.message : String(err) });
  }, []);

  const loadFirstPage = useCallback(
    async (f: ListFilter, k: string) => {
      dispatch({ type: 'reset', key: k });
      try {
        const fetchPage = () => api.conversations(toQuery(f, undefined, PAGE_SIZE));
        // The page prefetched at boot, if it is this list's; a failed prefetch is simply redone.
        showPage(k, await (takeFirstPage(k)?.catch(fetchPage) ?? fetchPage()), false);
      } catch (err) {
        showError(k, err);
      }
    },
    [showPage, showError],
  );

  useEffect(() => {
    void loadFirstPage(latest.current.filter, listKey);
  }, [listKey, loadFirstPage, latest]);

  const loadMore = useCallback(async () => {
    const { list: current, filter: f, listKey: k } = latest.current;
    if (!current.nextCursor || current.loading || loadingMore.current) return;
    loadingMore.current = true;
    dispatch({ type: 'loading', key: k });
    try {
      showPage(k, await api.conversations(toQuery(f, current.nextCursor, PAGE_SIZE)), true);
    } catch (err) {
      showError(k, err);
    } finally {
      loadingMore.current = false;
    }
  }, [latest, showPage, showError]);

  // Performance mark for the first-render benchmark (inbox-ui/bench/first-render.mjs).
  useEffect(() => {
    if (list.items.length && !performance.getEntriesByName('sb:first-row').length) {
      requestAnimationFrame(() => performance.mark('sb:first-row'));
    }
  }, [list.items.length]);

  /** Places, moves or drops a changed conversation; returns the version known before. */
  const upsert = useCallback(
    (c: Conversation): Conversation | null => {
      const { filter: f, me: user } = latest.current;
      const previous = known.current.get(c.id) ?? null;
      known.current.set(c.id, c);
      dispatch({ type: 'upsert', conversation: c, matches: matchesFilter(c, f, user.id) });
      return previous;
    },
    [latest],
  );

  /** The open conversation changed here (read, assigned, …). */
  const changed = useCallback(
    (c: Conversation): Conversation | null => {
      const previous = upsert(c);
      if (c.unreadCount === 0) dispatch({ type: 'read', id: c.id });
      return previous;
    },
    [upsert],
  );

  /**
   * A new message, with the conversation's list fields when the server sent them (one frame per
   * message): placed like any change. Returns the version known before, as `upsert` does.
   */
  const messageCreated = useCallback(
    (message: Message, conversation?: Conversation): Conversation | null => {
      const { filter: f, me: user, activeId: active } = latest.current;
      if (!conversation) {
        dispatch({ type: 'message', message, activeId: active });
        return null;
      }
      const previous = known.current.get(conversation.id) ?? null;
      known.current.set(conversation.id, conversation);
      dispatch({
        type: 'message',
        message,
        activeId: active,
        conversation,
        matches: matchesFilter(conversation, f, user.id),
      });
      return previous;
    },
    [latest],
  );

  /** Events were missed (offline): load what is on screen again. */
  const reload = useCallback(
    () => void loadFirstPage(latest.current.filter, latest.current.listKey),
    [loadFirstPage, latest],
  );

  /** After a failed page: the next page again, or the first when none had loaded. */
  const retry = useCallback(
    () => (latest.current.list.loaded ? void loadMore() : reload()),
    [latest, loadMore, reload],
  );

  return { list, loadMore, upsert, changed, messageCreated, reload, retry };
}
