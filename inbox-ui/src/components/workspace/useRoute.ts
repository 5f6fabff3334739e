import { useCallback, useEffect, useState } from 'react';
import { filterKey } from '../../lib/filters';
import type { ListFilter } from '../../lib/filters';
import { useLatest } from '../../lib/hooks';
import { formatRoute, parseRoute } from '../../lib/router';
import type { Route } from '../../lib/router';

function currentRoute(): Route {
  return parseRoute(window.location.hash);
}

/**
 * The screen, list filter and open conversation, kept in the URL hash. The list keeps its filter
 * while settings are open. `onNavigate` runs on every navigation from within the app.
 */
export function useRoute(onNavigate: () => void) {
  const [route, setRoute] = useState<Route>(currentRoute);
  const [lastFilter, setLastFilter] = useState<ListFilter>(
    route.screen === 'inbox' ? route.filter : { view: 'mine' },
  );
  const filter = route.screen === 'inbox' ? route.filter : lastFilter;
  const activeId = route.screen === 'inbox' ? route.conversationId : null;
  const latest = useLatest({ filter, activeId, onNavigate });

  useEffect(() => {
    const onHash = () => setRoute(currentRoute());
    window.addEventListener('hashchange', onHash);
    window.addEventListener('popstate', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('popstate', onHash);
    };
  }, []);
  useEffect(() => {
    if (route.screen === 'inbox') setLastFilter(route.filter);
  }, [route]);

  const navigate = useCallback(
    (next: Route, replace = false) => {
      const hash = formatRoute(next);
      if (replace) window.history.replaceState(null, '', hash);
      else if (window.location.hash !== hash) window.history.pushState(null, '', hash);
      setRoute(next);
      latest.current.onNavigate();
    },
    [latest],
  );

  const openConversation = useCallback(
    (id: string) =>
      navigate({ screen: 'inbox', filter: latest.current.filter, conversationId: id }),
    [navigate, latest],
  );
  const setFilter = useCallback(
    (f: ListFilter) =>
      navigate({ screen: 'inbox', filter: f, conversationId: latest.current.activeId }, true),
    [navigate, latest],
  );

  return {
    route,
    filter,
    key: filterKey(filter),
    activeId,
    navigate,
    openConversation,
    setFilter,
  };
}
