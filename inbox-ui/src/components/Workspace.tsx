import { Suspense, lazy, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Conversation, Locale, User } from '../api/types';
import { useI18n } from '../i18n/I18nContext';
import { useLatest, useMediaQuery, useNow } from '../lib/hooks';
import { assignmentNotice, escalationNotice } from '../lib/notifications';
import { useReferenceData } from '../lib/referenceData';
import { ConversationView } from './ConversationView';
import { EscalationBoard } from './EscalationBoard';
import type { ConversationViewHandle } from './ConversationView';
import { ListPane } from './ListPane';
import { NavSidebar } from './NavSidebar';
import { ShortcutHelp } from './ShortcutHelp';
import { Toasts } from './Toasts';
import { EmptyState } from './workspace/EmptyState';
import { useAgentSocket } from './workspace/useAgentSocket';
import { useAlerts } from './workspace/useAlerts';
import { useConversationList } from './workspace/useConversationList';
import { useCounts } from './workspace/useCounts';
import { useRoute } from './workspace/useRoute';
import { useShortcuts } from './workspace/useShortcuts';
import { useSlaMarks } from './workspace/useSlaMarks';
import { useToasts } from './workspace/useToasts';

// Settings are for admins and rarely opened: a separate chunk keeps the first screen small.
const Settings = lazy(() => import('../settings/Settings'));
// Reports carry the charting library: it is fetched only when the Reports page opens.
const Reports = lazy(() => import('../reports/Reports'));
const Customers = lazy(() => import('./customers/Customers'));

/** What the menus and pickers of the inbox offer. */
const INBOX_LISTS = { users: api.users, teams: api.teams, labels: api.labels, canned: api.canned };

interface Props {
  me: User;
  onLocale: (locale: Locale) => void;
  onLogout: () => void;
}

/** The signed-in app: navigation, the live conversation list, the open conversation. */
export function Workspace({ me, onLocale, onLogout }: Props) {
  const { t } = useI18n();
  const now = useNow(30_000);
  const isPhone = useMediaQuery('(max-width: 760px)');
  const isWide = useMediaQuery('(min-width: 1100px)');
  const [helpOpen, setHelpOpen] = useState(false);
  const [navOpen, setNavOpen] = useState(false);
  const conversationView = useRef<ConversationViewHandle>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const latest = useLatest({ t });

  const closeNav = useCallback(() => setNavOpen(false), []);
  const { route, filter, key, activeId, navigate, openConversation, setFilter } =
    useRoute(closeNav);
  const { toasts, pushToast, dismissToast } = useToasts();
  const alerts = useAlerts(pushToast, openConversation);

  const { lists, reload: loadReference } = useReferenceData(INBOX_LISTS);
  useEffect(() => {
    if (route.screen !== 'inbox') return;
    void loadReference().then((ok) => {
      if (!ok) pushToast({ title: latest.current.t('error.referenceData'), tone: 'alert' });
    });
  }, [route.screen, loadReference, pushToast, latest]);

  const { counts, refreshCounts, countChange } = useCounts();
  const conversations = useConversationList({ filter, listKey: key, me, activeId });
  const sla = useSlaMarks();
  const [available, setAvailable] = useState(me.available);

  function onConversation(c: Conversation, created = false) {
    sla.seen(c);
    const previous = conversations.upsert(c);
    const notice = assignmentNotice(previous, c, me);
    // Assigning the open conversation to oneself is not news.
    if (notice && c.id !== activeId) alerts.notify(notice);
    // The counts follow the same events as the list.
    countChange(previous ?? (created ? null : 'unknown'), c, me.id);
  }

  const { socket, connected } = useAgentSocket({
    onReconnect: () => {
      conversations.reload();
      refreshCounts();
    },
    onConversation,
    onEscalated: (c, reason) => {
      onConversation(c);
      const notice = escalationNotice(c, me);
      // Whoever escalates the open conversation already sees it happen.
      if (notice && c.id !== activeId) alerts.notify(notice, reason);
    },
    onMessage: (message, c) => {
      const previous = conversations.messageCreated(message, c);
      if (!c) return;
      sla.seen(c);
      // A first message is new work; any other change of a conversation never seen is asked for.
      countChange(previous ?? (c.messageCount <= 1 ? null : 'unknown'), c, me.id);
    },
    onSla: (c, target, tone) => {
      onConversation(c);
      sla.mark(c.id, target, tone);
      // A breach is news for whoever owns the conversation, and for supervisors.
      const mine = c.assignee?.id === me.id;
      if (tone === 'breached' && (mine || me.role !== 'agent'))
        pushToast({
          title: t('sla.breachedToast', { target: t(`sla.target.${target}`) }),
          body: c.contact.name,
          conversationId: c.id,
          tone: 'alert',
        });
    },
    onNotification: (n) =>
      pushToast({
        title: n.title,
        body: n.body,
        ...(n.conversationId ? { conversationId: n.conversationId } : {}),
        tone: 'alert',
      }),
  });

  // The board shows every escalated conversation, not only the first page of the list.
  const board = route.screen === 'inbox' && filter.view === 'escalated' && !activeId;
  const { list, loadMore } = conversations;
  useEffect(() => {
    if (
      board &&
      list.loaded &&
      !list.loading &&
      !list.error &&
      list.nextCursor &&
      list.items.length < 500
    )
      void loadMore();
  }, [board, list, loadMore]);

  async function toggleAvailable() {
    const next = !available;
    setAvailable(next);
    try {
      await api.updateMe({ available: next });
      pushToast({ title: t(next ? 'presence.nowAvailable' : 'presence.nowAway') });
    } catch {
      setAvailable(!next);
      pushToast({ title: t('error.generic'), tone: 'alert' });
    }
  }

  useShortcuts({
    items: conversations.list.items,
    activeId,
    filter,
    navigate,
    view: conversationView,
    search: searchInput,
    showHelp: () => setHelpOpen(true),
    closeNav,
  });

  const { changed } = conversations;
  const onListChange = useCallback(
    (c: Conversation) => countChange(changed(c) ?? 'unknown', c, me.id),
    [changed, countChange, me.id],
  );
  const onToast = useCallback((text: string) => pushToast({ title: text }), [pushToast]);
  const pane =
    route.screen !== 'inbox' ? 'settings' : activeId ? 'thread' : board ? 'board' : 'list';

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
        teams={lists.teams}
        connected={connected}
        available={available}
        onToggleAvailable={() => void toggleAvailable()}
        soundOn={alerts.soundOn}
        notificationPermission={alerts.permission}
        onLocale={onLocale}
        onToggleSound={alerts.toggleSound}
        onEnableNotifications={() => void alerts.enableNotifications()}
        onShowShortcuts={() => setHelpOpen(true)}
        onLogout={onLogout}
        onClose={isPhone ? closeNav : undefined}
      />
      {navOpen ? <div className="nav-backdrop" onClick={closeNav} aria-hidden="true" /> : null}

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
      ) : route.screen === 'reports' ? (
        <main className="settings-pane reports-pane" id="main">
          <Suspense fallback={<p className="muted pad">{t('app.loading')}</p>}>
            <Reports me={me} onOpenMenu={() => setNavOpen(true)} />
          </Suspense>
        </main>
      ) : route.screen === 'customers' ? (
        <main className="settings-pane" id="main">
          <Suspense fallback={<p className="muted pad">{t('app.loading')}</p>}>
            <Customers
              me={me}
              tab={route.tab}
              onOpen={openConversation}
              onOpenMenu={() => setNavOpen(true)}
            />
          </Suspense>
        </main>
      ) : board ? (
        <main className="board-pane" id="main">
          <EscalationBoard
            conversations={conversations.list.items}
            marks={sla.marks}
            now={now}
            loaded={conversations.list.loaded}
            onOpen={openConversation}
            onOpenMenu={() => setNavOpen(true)}
          />
        </main>
      ) : (
        <>
          <ListPane
            searchRef={searchInput}
            filter={filter}
            list={conversations.list}
            labels={lists.labels}
            teams={lists.teams}
            selectedId={activeId}
            now={now}
            slaMarks={sla.marks}
            onFilter={setFilter}
            onSelect={openConversation}
            onLoadMore={() => void conversations.loadMore()}
            onRetry={conversations.retry}
            onOpenMenu={() => setNavOpen(true)}
          />
          <main className="thread-pane" id="main">
            {activeId ? (
              <ConversationView
                key={activeId}
                ref={conversationView}
                id={activeId}
                me={me}
                users={lists.users}
                teams={lists.teams}
                knownLabels={lists.labels}
                canned={lists.canned}
                socket={socket}
                now={now}
                slaMarks={sla.marks[activeId]}
                contactOpenByDefault={isWide}
                onOpen={openConversation}
                onBack={() => navigate({ screen: 'inbox', filter, conversationId: null })}
                onChange={onListChange}
                onToast={onToast}
              />
            ) : (
              <EmptyState />
            )}
          </main>
        </>
      )}

      <Toasts toasts={toasts} onDismiss={dismissToast} onOpen={openConversation} />
      {helpOpen ? <ShortcutHelp onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}
