import { useEffect, useState } from 'react';
import { connectAgentSocket } from '../../api/socket';
import type { AgentSocket } from '../../api/socket';
import type { Conversation, Message } from '../../api/types';
import { useLatest } from '../../lib/hooks';
import type { SlaTarget } from '../../lib/sla';

export interface InboxEvents {
  /** The connection came back: events may have been missed meanwhile. */
  onReconnect: () => void;
  /** A conversation was created (`created`) or changed. */
  onConversation: (conversation: Conversation, created: boolean) => void;
  onEscalated: (conversation: Conversation, reason: string) => void;
  /** A new message; `conversation` is its conversation's list fields after it, when sent. */
  onMessage: (message: Message, conversation: Conversation | undefined) => void;
  /** An SLA clock crossed its warning threshold or its due time. */
  onSla: (conversation: Conversation, target: SlaTarget, tone: 'warning' | 'breached') => void;
  /** A notification for this user (a rule told supervisors). */
  onNotification: (n: { title: string; body: string; conversationId: string | null }) => void;
}

/**
 * The agent's live connection, opened once for the session. Hands the inbox-wide events to the
 * latest `events`; the open conversation subscribes to its own through the returned socket.
 */
export function useAgentSocket(events: InboxEvents) {
  const [socket, setSocket] = useState<AgentSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const latest = useLatest(events);

  useEffect(() => {
    const s = connectAgentSocket();
    setSocket(s);
    let wasConnected = false;
    s.on('connect', () => {
      setConnected(true);
      if (wasConnected) latest.current.onReconnect();
      wasConnected = true;
    });
    s.on('disconnect', () => setConnected(false));
    s.on('conversation.created', (e) => latest.current.onConversation(e.conversation, true));
    s.on('conversation.updated', (e) => latest.current.onConversation(e.conversation, false));
    s.on('conversation.escalated', (e) => latest.current.onEscalated(e.conversation, e.reason));
    s.on('sla.warning', (e) => latest.current.onSla(e.conversation, e.target, 'warning'));
    s.on('sla.breached', (e) => latest.current.onSla(e.conversation, e.target, 'breached'));
    s.on('notification', (n) => latest.current.onNotification(n));
    // One frame per message: the list row and the counts follow from its `conversation`.
    s.on('message.created', (e) => latest.current.onMessage(e.message, e.conversation));
    return () => {
      s.disconnect();
      setSocket(null);
    };
  }, [latest]);

  return { socket, connected };
}
