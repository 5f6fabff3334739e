import type { EmailReply } from '../../lib/emailDraft';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { ApiError, api } from '../../api/client';
import type { ConversationPatch } from '../../api/client';
import type { AgentSocket } from '../../api/socket';
import type {
  Contact,
  Conversation,
  ConversationWithContact,
  Message,
  User,
  Viewer,
} from '../../api/types';
import { useI18n } from '../../i18n/I18nContext';
import { useLatest } from '../../lib/hooks';
import { mergeMessage, prependEarlier, toSummary } from '../../lib/thread';
import type { ThreadHandle } from './Thread';

const PAGE = 50;

interface Options {
  id: string;
  me: User;
  socket: AgentSocket | null;
  /** Told to keep the reader's place on "load earlier" and to follow what the agent sends. */
  thread: RefObject<ThreadHandle | null>;
  onChange: (conversation: Conversation) => void;
  onToast: (text: string) => void;
}

/**
 * The open conversation's data: loads it with its latest messages, keeps it live from the socket
 * (messages, changes, the contact typing, who else is viewing), and changes it through the API.
 */
export function useConversation({ id, me, socket, thread, onChange, onToast }: Options) {
  const { t } = useI18n();
  const [conv, setConv] = useState<ConversationWithContact | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasEarlier, setHasEarlier] = useState(false);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const [viewers, setViewers] = useState<Viewer[]>([]);
  const [contactTyping, setContactTyping] = useState(false);
  const typingTimer = useRef<number | undefined>(undefined);
  const onChangeRef = useLatest(onChange);

  const applyConversation = useCallback(
    (next: Conversation) => {
      setConv((prev) =>
        prev && prev.id === next.id
          ? { ...prev, ...next, contact: { ...prev.contact, name: next.contact.name } }
          : prev,
      );
      onChangeRef.current(next);
    },
    [onChangeRef],
  );

  const markRead = useCallback(() => {
    api
      .markRead(id)
      .then((c) => onChangeRef.current(c))
      .catch(() => {});
  }, [id, onChangeRef]);

  // Load the conversation and its latest messages.
  useEffect(() => {
    let cancelled = false;
    setConv(null);
    setMessages([]);
    setLoadError(null);
    setViewers([]);
    setContactTyping(false);
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
    const onMessage = (e: {
      conversationId: string;
      message: Message;
      conversation?: Conversation | undefined;
    }) => {
      if (e.conversationId !== id) return;
      setMessages((list) => mergeMessage(list, e.message));
      // message.created carries the conversation after it: no conversation.updated follows.
      if (e.conversation) applyConversation(e.conversation);
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
    socket.on('sla.warning', onUpdated);
    socket.on('sla.breached', onUpdated);
    socket.on('typing', onTyping);
    socket.on('presence', onPresence);
    socket.on('connect', view);
    if (socket.connected) view();
    return () => {
      socket.off('message.created', onMessage);
      socket.off('message.updated', onMessage);
      socket.off('conversation.updated', onUpdated);
      socket.off('conversation.escalated', onUpdated);
      socket.off('sla.warning', onUpdated);
      socket.off('sla.breached', onUpdated);
      socket.off('typing', onTyping);
      socket.off('presence', onPresence);
      socket.off('connect', view);
      window.clearTimeout(typingTimer.current);
      if (socket.connected) socket.emit('conversation.leave', { conversationId: id }, () => {});
    };
  }, [socket, id, me.id, applyConversation, markRead]);

  async function loadEarlier() {
    const first = messages[0];
    if (!first || loadingEarlier) return;
    setLoadingEarlier(true);
    try {
      const page = await api.messages(id, first.id);
      thread.current?.keepPlace();
      setMessages((list) => prependEarlier(list, page.items));
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

  async function send(
    text: string,
    isPrivate: boolean,
    attachmentIds: string[],
    email?: EmailReply,
  ) {
    const message = await api.sendMessage(id, text, isPrivate, attachmentIds, email);
    thread.current?.stickToBottom();
    setMessages((list) => mergeMessage(list, message));
  }

  const sendTyping = useCallback(
    (typing: boolean, isPrivate: boolean) => {
      socket?.emit('typing', { conversationId: id, typing, private: isPrivate }, () => {});
    },
    [socket, id],
  );

  /** The contact was edited in the sidebar. */
  function contactChanged(contact: Contact) {
    setConv((c) => (c ? { ...c, contact } : c));
    if (conv) onChange(toSummary({ ...conv, contact }));
  }

  return {
    conv,
    loadError,
    messages,
    hasEarlier,
    loadingEarlier,
    viewers,
    contactTyping,
    applyConversation,
    patch,
    loadEarlier,
    send,
    sendTyping,
    contactChanged,
  };
}
