import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import type { FormEvent, Ref } from 'react';
import { ApiError, api } from '../api/client';
import type { ConversationPatch } from '../api/client';
import type { AgentSocket } from '../api/socket';
import type {
  CannedResponse,
  Contact,
  Conversation,
  ConversationWithContact,
  Escalation,
  Message,
  Team,
  User,
  Viewer,
} from '../api/types';
import { PRIORITIES, STATUSES } from '../api/types';
import { formatList, levelKey } from '../i18n/core';
import { useI18n } from '../i18n/I18nContext';
import { formatDateTime } from '../lib/format';
import { Composer } from './Composer';
import type { ComposerHandle, ComposerMode } from './Composer';
import { ContactSidebar } from './ContactSidebar';
import { Dialog } from './Dialog';
import { ChannelIcon, IconBack, IconCheck, IconClose, IconFlame, IconSidebar } from './Icons';
import { MessageBubble } from './MessageBubble';
import { InboxAddress } from './InboxAddress';

export interface ConversationViewHandle {
  focusComposer: (mode: ComposerMode) => void;
  resolve: () => void;
  assignToMe: () => void;
  toggleContact: () => void;
}

interface Props {
  ref?: Ref<ConversationViewHandle>;
  id: string;
  me: User;
  users: User[];
  teams: Team[];
  knownLabels: string[];
  canned: CannedResponse[];
  socket: AgentSocket | null;
  now: number;
  contactOpenByDefault: boolean;
  onOpen: (id: string) => void;
  onBack: () => void;
  onChange: (conversation: Conversation) => void;
  onToast: (text: string) => void;
}

const PAGE = 50;

function summary(c: ConversationWithContact): Conversation {
  return { ...c, contact: { id: c.contact.id, name: c.contact.name } };
}

function mergeMessage(list: Message[], m: Message): Message[] {
  const at = list.findIndex((x) => x.id === m.id);
  if (at >= 0) return list.map((x, i) => (i === at ? { ...x, ...m } : x));
  const next = [...list, m];
  // Events can overtake the HTTP response that created them; keep the thread in time order.
  return next.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

/** The open conversation: header actions, the thread, the composer and the contact. */
export function ConversationView({
  ref,
  id,
  me,
  users,
  teams,
  knownLabels,
  canned,
  socket,
  now,
  contactOpenByDefault,
  onOpen,
  onBack,
  onChange,
  onToast,
}: Props) {
  const { t, locale } = useI18n();
  const [conv, setConv] = useState<ConversationWithContact | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasEarlier, setHasEarlier] = useState(false);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const [contactTyping, setContactTyping] = useState(false);
  const [showContact, setShowContact] = useState(contactOpenByDefault);
  const [escalating, setEscalating] = useState(false);
  const thread = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const prependFrom = useRef<number | null>(null);
  const composer = useRef<ComposerHandle>(null);
  const typingTimer = useRef<number | undefined>(undefined);
  const convRef = useRef(conv);
  convRef.current = conv;
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const applyConversation = useCallback((next: Conversation) => {
    setConv((prev) =>
      prev && prev.id === next.id
        ? { ...prev, ...next, contact: { ...prev.contact, name: next.contact.name } }
        : prev,
    );
    onChangeRef.current(next);
  }, []);

  const markRead = useCallback(() => {
    api
      .markRead(id)
      .then((c) => onChangeRef.current(c))
      .catch(() => {});
  }, [id]);

  // Load the conversation and its latest messages.
  useEffect(() => {
    let cancelled = false;
    setConv(null);
    setMessages([]);
    setLoadError(null);
    setViewers([]);
    setContactTyping(false);
    stickToBottom.current = true;
    Promise.all([api.conversation(id), api.messages(id)])
      .then(([c, page]) => {
        if (cancelled) return;
        setConv(c);
        setMessages(page.items);
        setHasEarlier(page.items.length >= PAGE);
        if (c.unreadCount > 0) markRead();
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setLoadError(
          err instanceof ApiError && err.status === 404 ? t('conv.notFound') : t('error.generic'),
        );
      });
    return () => {
      cancelled = true;
    };
    // Not keyed on `t`: switching the language must not reload the thread.
  }, [id, markRead]);

  // Live updates for this conversation, and presence for collision warnings.
  useEffect(() => {
    if (!socket) return;
    const view = () => socket.emit('conversation.view', { conversationId: id }, () => {});
    const onMessage = (e: { conversationId: string; message: Message }) => {
      if (e.conversationId !== id) return;
      setMessages((list) => mergeMessage(list, e.message));
      if (e.message.direction === 'in') {
        setContactTyping(false);
        if (document.visibilityState === 'visible') markRead();
      }
    };
    const onUpdated = (e: { conversation: Conversation }) => {
      if (e.conversation.id === id) applyConversation(e.conversation);
    };
    const onTyping = (e: {
      conversationId: string;
      actor: { type: 'contact' | 'user'; id: string };
      typing: boolean;
    }) => {
      if (e.conversationId !== id || e.actor.type !== 'contact') return;
      setContactTyping(e.typing);
      window.clearTimeout(typingTimer.current);
      // A lost "stopped typing" must not leave the indicator on forever.
      if (e.typing) typingTimer.current = window.setTimeout(() => setContactTyping(false), 8000);
    };
    const onPresence = (e: { conversationId: string; viewers: Viewer[] }) => {
      if (e.conversationId === id) setViewers(e.viewers.filter((v) => v.id !== me.id));
    };
    socket.on('message.created', onMessage);
    socket.on('message.updated', onMessage);
    socket.on('conversation.updated', onUpdated);
    socket.on('conversation.escalated', onUpdated);
    socket.on('typing', onTyping);
    socket.on('presence', onPresence);
    socket.on('connect', view);
    if (socket.connected) view();
    return () => {
      socket.off('message.created', onMessage);
      socket.off('message.updated', onMessage);
      socket.off('conversation.updated', onUpdated);
      socket.off('conversation.escalated', onUpdated);
      socket.off('typing', onTyping);
      socket.off('presence', onPresence);
      socket.off('connect', view);
      window.clearTimeout(typingTimer.current);
      if (socket.connected) socket.emit('conversation.leave', { conversationId: id }, () => {});
    };
  }, [socket, id, me.id, applyConversation, markRead]);

  // Stay at the newest message unless the agent scrolled up to read; keep the place when
  // earlier messages are prepended.
  useLayoutEffect(() => {
    const el = thread.current;
    if (!el) return;
    if (prependFrom.current !== null) {
      el.scrollTop = el.scrollHeight - prependFrom.current;
      prependFrom.current = null;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, contactTyping]);

  async function loadEarlier() {
    const first = messages[0];
    if (!first || loadingEarlier) return;
    setLoadingEarlier(true);
    try {
      const page = await api.messages(id, first.id);
      prependFrom.current = thread.current
        ? thread.current.scrollHeight - thread.current.scrollTop
        : null;
      setMessages((list) => {
        const seen = new Set(list.map((m) => m.id));
        return [...page.items.filter((m) => !seen.has(m.id)), ...list];
      });
      setHasEarlier(page.items.length >= PAGE);
    } catch {
      onToast(t('error.generic'));
    } finally {
      setLoadingEarlier(false);
    }
  }

  const patch = useCallback(
    async (body: ConversationPatch) => {
      try {
        applyConversation(await api.updateConversation(id, body));
      } catch (err) {
        onToast(
          err instanceof ApiError && err.status === 403
            ? t('error.forbidden')
            : t('error.withMessage', { message: String(err instanceof Error ? err.message : err) }),
        );
      }
    },
    [id, applyConversation, onToast, t],
  );

  useImperativeHandle(
    ref,
    () => ({
      focusComposer: (mode) => composer.current?.focus(mode),
      resolve: () => {
        const c = convRef.current;
        if (c) void patch({ status: c.status === 'resolved' ? 'open' : 'resolved' });
      },
      assignToMe: () => void patch({ assigneeId: me.id }),
      toggleContact: () => setShowContact((s) => !s),
    }),
    [patch, me.id],
  );

  async function send(text: string, isPrivate: boolean, attachmentIds: string[]) {
    const message = await api.sendMessage(id, text, isPrivate, attachmentIds);
    stickToBottom.current = true;
    setMessages((list) => mergeMessage(list, message));
  }

  const onTypingChange = useCallback(
    (typing: boolean, isPrivate: boolean) => {
      socket?.emit('typing', { conversationId: id, typing, private: isPrivate }, () => {});
    },
    [socket, id],
  );

  if (loadError) {
    return (
      <section className="conversation conversation--empty">
        <p role="alert">{loadError}</p>
        <button type="button" className="button button--secondary" onClick={onBack}>
          {t('conv.back')}
        </button>
      </section>
    );
  }
  if (!conv) {
    return (
      <section className="conversation conversation--empty" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
        <span className="muted">{t('app.loading')}</span>
      </section>
    );
  }

  const contactName = conv.contact.name || t('contact.unnamed');
  const activeUsers = users.filter((u) => u.active || u.id === conv.assignee?.id);
  const typers = viewers.filter((v) => v.typing);
  const watchers = viewers.filter((v) => !v.typing);
  const labelsAvailable = knownLabels.filter((l) => !conv.labels.includes(l));

  return (
    <section
      className={showContact ? 'conversation conversation--with-contact' : 'conversation'}
      aria-label={contactName}
    >
      <div className="conversation__main">
        <header className="conv-header">
          <div className="conv-header__top">
            <button
              type="button"
              className="icon-button conv-header__back"
              onClick={onBack}
              aria-label={t('conv.back')}
            >
              <IconBack />
            </button>
            <div className="conv-header__title">
              <h1 dir="auto">{contactName}</h1>
              <span className="conv-header__sub">
                <ChannelIcon channel={conv.channel} size={14} />{' '}
                <InboxAddress inboxId={conv.inboxId} channel={conv.channel} />
                {conv.level > 0 ? (
                  <span className={`badge badge--level badge--level-${conv.level}`}>
                    {t(levelKey(conv.level))}
                  </span>
                ) : null}
              </span>
            </div>
            <div className="conv-header__buttons">
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setEscalating(true)}
                disabled={conv.level >= 4}
                title={t('conv.escalateTitle')}
              >
                <IconFlame size={16} /> {t('conv.escalate')}
              </button>
              {conv.status === 'resolved' ? (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => void patch({ status: 'open' })}
                >
                  {t('conv.reopen')}
                </button>
              ) : (
                <button
                  type="button"
                  className="button button--success"
                  onClick={() => void patch({ status: 'resolved' })}
                >
                  <IconCheck size={16} /> {t('conv.resolve')}
                </button>
              )}
              <button
                type="button"
                className="icon-button"
                aria-pressed={showContact}
                aria-label={showContact ? t('conv.hideContact') : t('conv.showContact')}
                title={showContact ? t('conv.hideContact') : t('conv.showContact')}
                onClick={() => setShowContact((s) => !s)}
              >
                <IconSidebar />
              </button>
            </div>
          </div>
          <div className="conv-header__controls" role="group" aria-label={t('conv.actions')}>
            <label className="control">
              <span>{t('conv.assignee')}</span>
              <select
                value={conv.assignee?.id ?? ''}
                onChange={(e) => void patch({ assigneeId: e.target.value || null })}
              >
                <option value="">{t('list.unassigned')}</option>
                <option value={me.id}>
                  {me.name} ({t('common.you')})
                </option>
                {activeUsers
                  .filter((u) => u.id !== me.id)
                  .map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.name}
                    </option>
                  ))}
              </select>
            </label>
            <label className="control">
              <span>{t('conv.team')}</span>
              <select
                value={conv.team?.id ?? ''}
                onChange={(e) => void patch({ teamId: e.target.value || null })}
              >
                <option value="">{t('conv.noTeam')}</option>
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="control">
              <span>{t('conv.status')}</span>
              <select value={conv.status} onChange={(e) => void patch({ status: e.target.value })}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`status.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="control">
              <span>{t('conv.priority')}</span>
              <select
                value={conv.priority}
                onChange={(e) => void patch({ priority: e.target.value })}
              >
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`priority.${p}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="conv-header__row">
            <LabelEditor
              labels={conv.labels}
              available={labelsAvailable}
              onChange={(labels) => void patch({ labels })}
            />
            {conv.assignee?.id !== me.id ? (
              <button
                type="button"
                className="link-button"
                onClick={() => void patch({ assigneeId: me.id })}
              >
                {t('conv.assignMe')}
              </button>
            ) : null}
          </div>
        </header>

        {viewers.length ? (
          <div className="collision" role="status" data-testid="collision-warning">
            {typers.length ? (
              <strong>
                {t('collision.typing', {
                  count: typers.length,
                  names: formatList(
                    locale,
                    typers.map((v) => v.name),
                  ),
                })}
              </strong>
            ) : null}
            {watchers.length ? (
              <span>
                {t('collision.viewing', {
                  count: watchers.length,
                  names: formatList(
                    locale,
                    watchers.map((v) => v.name),
                  ),
                })}
              </span>
            ) : null}
          </div>
        ) : null}

        <div
          ref={thread}
          className="thread"
          role="log"
          aria-label={t('msg.thread')}
          aria-live="polite"
          tabIndex={0}
          data-testid="thread"
          onScroll={(e) => {
            const el = e.currentTarget;
            stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
          }}
        >
          {hasEarlier ? (
            <button
              type="button"
              className="thread__earlier link-button"
              onClick={() => void loadEarlier()}
              disabled={loadingEarlier}
            >
              {t('msg.loadEarlier')}
            </button>
          ) : null}
          {messages.length === 0 ? <p className="thread__empty muted">{t('msg.empty')}</p> : null}
          {messages.map((m) => (
            <MessageBubble
              key={m.id}
              message={m}
              channel={conv.channel}
              contactName={contactName}
              now={now}
            />
          ))}
          {contactTyping ? (
            <div className="typing" data-testid="contact-typing">
              <span className="typing__dots" aria-hidden="true">
                <i />
                <i />
                <i />
              </span>
              {t('msg.typing', { name: contactName })}
            </div>
          ) : null}
        </div>

        <Composer
          key={id}
          ref={composer}
          conversationId={id}
          channel={conv.channel}
          contactName={contactName}
          canned={canned}
          templateContext={{
            contact: conv.contact,
            agent: { name: me.name, email: me.email },
            conversation: { id: conv.id, channel: conv.channel },
          }}
          onSend={send}
          onTyping={onTypingChange}
        />
      </div>

      {showContact ? (
        <ContactSidebar
          contact={conv.contact}
          currentConversationId={conv.id}
          now={now}
          onOpenConversation={onOpen}
          onContactChange={(contact: Contact) => {
            setConv((c) => (c ? { ...c, contact } : c));
            onChange(summary({ ...conv, contact }));
            onToast(t('common.saved'));
          }}
          onClose={() => setShowContact(false)}
        />
      ) : null}

      {escalating ? (
        <EscalateDialog
          conversation={conv}
          onClose={() => setEscalating(false)}
          onEscalated={(c) => {
            applyConversation(c);
            setEscalating(false);
            onToast(t('conv.escalated', { level: c.level }));
          }}
        />
      ) : null}
    </section>
  );
}

function LabelEditor({
  labels,
  available,
  onChange,
}: {
  labels: string[];
  available: string[];
  onChange: (labels: string[]) => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState('');
  const listId = 'label-suggestions';

  function add(e: FormEvent) {
    e.preventDefault();
    const label = draft.trim();
    if (label && !labels.includes(label)) onChange([...labels, label]);
    setDraft('');
  }

  return (
    <form className="labels" onSubmit={add} aria-label={t('conv.labels')}>
      {labels.map((label) => (
        <span key={label} className="chip" dir="auto">
          {label}
          <button
            type="button"
            className="chip__remove"
            aria-label={t('conv.removeLabel', { label })}
            onClick={() => onChange(labels.filter((l) => l !== label))}
          >
            <IconClose size={12} />
          </button>
        </span>
      ))}
      <input
        className="labels__input"
        value={draft}
        list={listId}
        dir="auto"
        placeholder={`+ ${t('conv.addLabel')}`}
        aria-label={t('conv.addLabel')}
        onChange={(e) => setDraft(e.target.value)}
      />
      <datalist id={listId}>
        {available.map((l) => (
          <option key={l} value={l} />
        ))}
      </datalist>
    </form>
  );
}

function EscalateDialog({
  conversation,
  onClose,
  onEscalated,
}: {
  conversation: Conversation;
  onClose: () => void;
  onEscalated: (c: Conversation) => void;
}) {
  const { t, locale } = useI18n();
  const [reason, setReason] = useState('');
  const [level, setLevel] = useState('');
  const [history, setHistory] = useState<Escalation[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .escalations(conversation.id)
      .then((page) => setHistory(page.items))
      .catch(() => setHistory([]));
  }, [conversation.id]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onEscalated(
        await api.escalate(conversation.id, reason.trim(), level ? Number(level) : undefined),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  const higher = [1, 2, 3, 4].filter((l) => l > conversation.level);
  return (
    <Dialog
      title={t('conv.escalateTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button button--ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form="escalate-form"
            className="button button--danger"
            disabled={busy || !reason.trim()}
          >
            <IconFlame size={16} /> {t('conv.escalate')}
          </button>
        </>
      }
    >
      <form id="escalate-form" className="form" onSubmit={(e) => void submit(e)}>
        <p className="muted">{t('conv.escalateHelp')}</p>
        <label className="field">
          <span>{t('conv.escalateReason')}</span>
          <textarea
            required
            rows={3}
            dir="auto"
            value={reason}
            placeholder={t('conv.escalateReasonPlaceholder')}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('conv.escalateLevel')}</span>
          <select value={level} onChange={(e) => setLevel(e.target.value)}>
            <option value="">{t('conv.escalateNext')}</option>
            {higher.map((l) => (
              <option key={l} value={l}>
                {t(levelKey(l))}
              </option>
            ))}
          </select>
        </label>
        {error ? (
          <p className="form__error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      {history.length ? (
        <section className="escalations">
          <h3>{t('conv.escalationHistory')}</h3>
          <ol>
            {history.map((h, i) => (
              <li key={i}>
                <span dir="auto">
                  {t('conv.escalationEntry', {
                    from: h.fromLevel,
                    to: h.toLevel,
                    reason: h.reason,
                  })}
                </span>
                <span className="muted">
                  {h.actor ? `${h.actor.name} · ` : ''}
                  {formatDateTime(h.createdAt, locale)}
                </span>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </Dialog>
  );
}
