import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import type { AgentSocket } from '../../api/socket';
import type { ConversationWithContact, Identity, Message } from '../../api/types';
import { repliesAreSms } from '../../lib/smsCounter';

/**
 * The identity replies go to, kept fresh for SMS: a customer's STOP (or START) arrives as a
 * message, and the opt-out it carries changes whether we may reply, so the conversation's
 * recipient is read again after each message from the customer.
 */
export function useRecipient(
  conv: ConversationWithContact | null,
  socket: AgentSocket | null,
): Identity | null | undefined {
  const [recipient, setRecipient] = useState<Identity | null | undefined>(conv?.recipient);
  const id = conv?.id;
  const sms = conv ? repliesAreSms(conv.channel) : false;

  useEffect(() => setRecipient(conv?.recipient), [conv?.recipient]);

  useEffect(() => {
    if (!socket || !id || !sms) return;
    const onMessage = (e: { conversationId: string; message: Message }) => {
      if (e.conversationId !== id || e.message.direction !== 'in') return;
      api.conversation(id).then(
        (c) => setRecipient(c.recipient),
        () => {},
      );
    };
    socket.on('message.created', onMessage);
    return () => {
      socket.off('message.created', onMessage);
    };
  }, [socket, id, sms]);

  return recipient;
}
