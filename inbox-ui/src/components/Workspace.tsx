import { Suspense, lazy, useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { api } from '../api/client';
import { connectAgentSocket } from '../api/socket';
import type { AgentSocket } from '../api/socket';
import type {
  CannedResponse,
  Conversation,
  Counts,
  Locale,
  Message,
  Page,
  Team,
  User,
} from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { PAGE_SIZE, filterKey, matchesFilter, toQuery } from '../lib/filters';
import type { ListFilter } from '../lib/filters';
import { useLatest, useMediaQuery, useNow } from '../lib/hooks';
import { initialListState, listReducer } from '../lib/listState';
import {
  assignmentNotice,
  desktopPermission,
  escalationNotice,
  showDesktopNotification,
} from '../lib/notifications';
import type { NotificationDecision } from '../lib/notifications';
import { takeFirstPage } from '../lib/prefetch';
import { formatRoute, parseRoute } from '../lib/router';
import type { Route } from '../lib/router';
import { isEditableTarget, shortcutFor } from '../lib/shortcuts';
import { beep } from '../lib/sound';
import { ConversationView } from './ConversationView';
import type { ConversationViewHandle } from './ConversationView';
import { ListPane } from './ListPane';
import { NavSidebar } from './NavSidebar';
import { ShortcutHelp } from './ShortcutHelp';
import { Toasts } from './Toasts';
import type { Toast } from './Toasts';

// Settings are for admins and rarely opened: a separate chunk keeps the first screen small.
const Settings = lazy(() => import('../settings/Settings'));

interface Props {
  me: User;
  onLocale: (locale: Locale) => void;
  onLogout: () => void;
}

const SOUND_KEY = 'sb.sound';
let toastSeq = 0;

function currentRoute(): Route {
  return parseRoute(window.location.hash);
}

/** The signed-in app: navigation, the live conversation list, the open conversation. */
export function Workspace({ me, onLocale, onLogout }: Props) {
  const { t } = useI18n();
  const now = useNow(30_000);
  const isPhone = useMediaQuery('(max-width: 760px)');
  const isWide = useMediaQuery('(min-width: 1100px)');
  const [route, setRoute] = useState<Route>(currentRoute);
  const [lastFilter, setLastFilter] = useState<ListFilter>(
    route.screen === 'inbox' ? route.filter : { view: 'mine' },
  );
  const filter = route.screen === 'inbox' ? route.filter : lastFilter;
  const activeId = route.screen === 'inbox' ? route.conversationId : null;
  const key = filterKey(filter);

  const [list, dispatch] = useReducer(listReducer, initialListState);
  const [socket, setSocket] = useState<AgentSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [users, setUsers] = useState<User[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [labels, setLabels] = useState<string[]>([]);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [soundOn, setSoundOn] = useState(() => localStorage.getItem(SOUND_KEY) !== 'off');
  const [permission, setPermission] = useState(desktopPermission);
  const [helpOpen, setHelpOpen] = useState(false);
  const [navOpen, setNavOpen] = useState(false);

  const conversationView = useRef<ConversationViewHandle>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const known = useRef(new Map<string, Conversation>());
  const loadingMore = useRef(false);
  const latest = useLatest({ filter, key, activeId, me, soundOn, list, t });

  // --- routing -------------------------------------------------------------------------------
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

  const navigate = useCallback((next: Route, replace = false) => {
    const hash = formatRoute(next);
    if (replace) window.history.replaceState(null, '', hash);
    else if (window.location.hash !== hash) window.history.pushState(null, '', hash);
    setRoute(next);
    setNavOpen(false);
  }, []);

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

  // --- reference data ----------------------------------------------------------------------
  const loadReference = useCallback(() => {
    api.users().then(
      (p) => setUsers(p.items),
      () => {},
    );
    api.teams().then(
      (p) => setTeams(p.items),
      () => {},
    );
    api.labels().then(
      (p) => setLabels(p.items),
      () => {},
    );
    api.canned().then(
      (p) => setCanned(p.items),
      () => {},
    );
  }, []);
  useEffect(() => {
    if (route.screen === 'inbox') loadReference();
  }, [route.screen, loadReference]);

  const countsTimer = useRef<number | undefined>(undefined);
  const refreshCounts = useCallback(() => {
    window.clearTimeout(countsTimer.current);
    countsTimer.current = window.setTimeout(() => {
      api.counts().then(setCounts, () => {});
    }, 400);
  }, []);
  useEffect(() => {
    api.counts().then(setCounts, () => {});
    // Seed "what I already had" so only new assignments notify.
    api.conversations({ view: 'mine', limit: 100 }).then(
      (p) => p.items.forEach((c) => known.current.set(c.id, c)),
      () => {},
    );
  }, []);

  // --- the list -------------------------------------------------------------------------------
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
    void loadFirstPage(latest.current.filter, key);
  }, [key, loadFirstPage, latest]);

  const loadMore = useCallback(async () => {
    const { list: current, filter: f, key: k } = latest.current;
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

  // --- notifications ------------------------------------------------------------------------
  const pushToast = useCallback((toast: Omit<Toast, 'id'>) => {
    const id = ++toastSeq;
    setToasts((list) => [...list.slice(-3), { ...toast, id }]);
    window.setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), 8000);
  }, []);

  const notify = useCallback(
    (decision: NotificationDecision, reason?: string) => {
      const { t: tr, soundOn: sound } = latest.current;
      const c = decision.conversation;
      const name = c.contact.name || tr('contact.unnamed');
      const title =
        decision.kind === 'assigned'
          ? tr('notify.assigned')
          : tr('notify.escalated', { level: c.level });
      const body =
        decision.kind === 'assigned'
          ? tr('notify.assignedBody', { name, channel: tr(`channel.${c.channel}`) })
          : tr('notify.escalatedBody', { name, reason: reason ?? '' });
      pushToast({
        title,
        body,
        conversationId: c.id,
        tone: decision.kind === 'escalated' ? 'alert' : 'info',
      });
      if (sound) beep();
      showDesktopNotification(title, body, `${decision.kind}:${c.id}`, () =>
        openConversation(c.id),
      );
    },
    [latest, pushToast, openConversation],
  );

  const onConversation = useCallback(
    (c: Conversation) => {
      const { filter: f, me: user, activeId: open } = latest.current;
      const previous = known.current.get(c.id) ?? null;
      known.current.set(c.id, c);
      dispatch({ type: 'upsert', conversation: c, matches: matchesFilter(c, f, user.id) });
      const notice = assignmentNotice(previous, c, user);
      // Assigning the open conversation to oneself is not news.
      if (notice && c.id !== open) notify(notice);
      refreshCounts();
    },
    [latest, notify, refreshCounts],
  );

  // --- live events -------------------------------------------------------------------------
  useEffect(() => {
    const s = connectAgentSocket();
    setSocket(s);
    let wasConnected = false;
    s.on('connect', () => {
      setConnected(true);
      // Events were missed while offline: reload what is on screen.
      if (wasConnected) {
        void loadFirstPage(latest.current.filter, latest.current.key);
        refreshCounts();
      }
      wasConnected = true;
    });
    s.on('disconnect', () => setConnected(false));
    s.on('conversation.created', (e) => onConversation(e.conversation));
    s.on('conversation.updated', (e) => onConversation(e.conversation));
    s.on('conversation.escalated', (e) => {
      onConversation(e.conversation);
      const notice = escalationNotice(e.conversation, latest.current.me);
      // Whoever escalates the open conversation already sees it happen.
      if (notice && e.conversation.id !== latest.current.activeId) notify(notice, e.reason);
    });
    s.on('message.created', (e: { conversationId: string; message: Message }) => {
      dispatch({ type: 'message', message: e.message, activeId: latest.current.activeId });
    });
    return () => {
      s.disconnect();
      setSocket(null);
    };
  }, [latest, loadFirstPage, onConversation, notify, refreshCounts]);

  // --- keyboard -----------------------------------------------------------------------------
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      const action = shortcutFor({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        inEditable: isEditableTarget(e.target),
      });
      if (!action || e.defaultPrevented) return;
      // A dialog owns the keyboard while it is open (it handles Escape itself).
      if (document.querySelector('[role="dialog"]')) return;
      const { list: current, activeId: open, filter: f } = latest.current;
      const view = conversationView.current;
      switch (action) {
        case 'next':
        case 'prev': {
          const index = current.items.findIndex((c) => c.id === open);
          const nextIndex = action === 'next' ? index + 1 : index < 0 ? 0 : index - 1;
          const target = current.items[Math.max(0, Math.min(current.items.length - 1, nextIndex))];
          if (target) navigate({ screen: 'inbox', filter: f, conversationId: target.id });
          break;
        }
        case 'reply':
        case 'note':
          if (!view) return;
          view.focusComposer(action);
          break;
        case 'resolve':
          if (!view) return;
          view.resolve();
          break;
        case 'assignMe':
          if (!view) return;
          view.assignToMe();
          break;
        case 'contact':
          if (!view) return;
          view.toggleContact();
          break;
        case 'search':
          searchInput.current?.focus();
          break;
        case 'help':
          setHelpOpen(true);
          break;
        case 'escape':
          if (isEditableTarget(e.target) && e.target instanceof HTMLElement) e.target.blur();
          else setNavOpen(false);
          return;
      }
      e.preventDefault();
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [latest, navigate]);

  // --- rendering ----------------------------------------------------------------------------
  function toggleSound() {
    setSoundOn((on) => {
      localStorage.setItem(SOUND_KEY, on ? 'off' : 'on');
      if (!on) beep();
      return !on;
    });
  }

  async function enableNotifications() {
    if (typeof Notification === 'undefined') return;
    setPermission(await Notification.requestPermission());
  }

  const onListChange = useCallback(
    (c: Conversation) => {
      known.current.set(c.id, c);
      dispatch({
        type: 'upsert',
        conversation: c,
        matches: matchesFilter(c, latest.current.filter, latest.current.me.id),
      });
      if (c.unreadCount === 0) dispatch({ type: 'read', id: c.id });
      refreshCounts();
    },
    [latest, refreshCounts],
  );

  const onToast = useCallback((text: string) => pushToast({ title: text }), [pushToast]);
  const pane = route.screen === 'settings' ? 'settings' : activeId ? 'thread' : 'list';

  return (
    <div className={`app app--${pane}${navOpen ? ' app--nav-open' : ''}`}>
      <a
        className="skip-link"
        href="#conversation-list-anchor"
        onClick={(e) => {
          e.preventDefault();
          document.querySelector<HTMLElement>('[data-testid="conversation-list"]')?.focus();
        }}
      >
        {t('app.skipToList')}
      </a>
      <NavSidebar
        me={me}
        route={route}
        counts={counts}
        teams={teams}
        connected={connected}
        soundOn={soundOn}
        notificationPermission={permission}
        onLocale={onLocale}
        onToggleSound={toggleSound}
        onEnableNotifications={() => void enableNotifications()}
        onShowShortcuts={() => setHelpOpen(true)}
        onLogout={onLogout}
        onClose={isPhone ? () => setNavOpen(false) : undefined}
      />
      {navOpen ? (
        <div className="nav-backdrop" onClick={() => setNavOpen(false)} aria-hidden="true" />
      ) : null}

      {route.screen === 'settings' ? (
        <main className="settings-pane">
          <Suspense fallback={<p className="muted pad">{t('app.loading')}</p>}>
            <Settings
              me={me}
              tab={route.tab}
              onTab={(tab) => navigate({ screen: 'settings', tab })}
              onOpenMenu={() => setNavOpen(true)}
            />
          </Suspense>
        </main>
      ) : (
        <>
          <ListPane
            searchRef={searchInput}
            filter={filter}
            list={list}
            labels={labels}
            teams={teams}
            selectedId={activeId}
            now={now}
            onFilter={setFilter}
            onSelect={openConversation}
            onLoadMore={() => void loadMore()}
            onRetry={() => void (list.loaded ? loadMore() : loadFirstPage(filter, key))}
            onOpenMenu={() => setNavOpen(true)}
          />
          <main className="thread-pane" id="main">
            {activeId ? (
              <ConversationView
                key={activeId}
                ref={conversationView}
                id={activeId}
                me={me}
                users={users}
                teams={teams}
                knownLabels={labels}
                canned={canned}
                socket={socket}
                now={now}
                contactOpenByDefault={isWide}
                onOpen={openConversation}
                onBack={() => navigate({ screen: 'inbox', filter, conversationId: null })}
                onChange={onListChange}
                onToast={onToast}
              />
            ) : (
              <div className="empty-state">
                <div className="empty-state__art" aria-hidden="true">
                  <svg viewBox="0 0 120 90" width="120" height="90">
                    <rect x="8" y="14" width="72" height="46" rx="12" fill="var(--accent-soft)" />
                    <rect
                      x="40"
                      y="34"
                      width="72"
                      height="46"
                      rx="12"
                      fill="var(--accent)"
                      opacity="0.85"
                    />
                    <path
                      d="M56 52h40M56 62h26"
                      stroke="#fff"
                      strokeWidth="5"
                      strokeLinecap="round"
                    />
                  </svg>
                </div>
                <h2>{t('conv.emptyTitle')}</h2>
                <p className="muted">{t('conv.emptyBody')}</p>
                <p className="muted small">
                  <kbd>j</kbd> / <kbd>k</kbd> · <kbd>?</kbd> {t('nav.shortcuts')}
                </p>
              </div>
            )}
          </main>
        </>
      )}

      <Toasts
        toasts={toasts}
        onDismiss={(id) => setToasts((l) => l.filter((x) => x.id !== id))}
        onOpen={openConversation}
      />
      {helpOpen ? <ShortcutHelp onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}
