import type { OutboundAttachment, OutboundMessage } from '../../channels/types';
import { withButtons } from '../conversations/dto';
import type { ConversationRow, IdentityKind, MessageRow } from '../db/schema';

/** A stored outbound message as its channel is handed it (the delivery job, a push at commit). */
export function outboundOf(
  conversation: ConversationRow,
  message: MessageRow,
  recipient: { kind: IdentityKind; value: string },
  extra: { attachments: OutboundAttachment[]; senderName: string | null },
): OutboundMessage {
  return {
    messageId: message.id,
    conversationId: conversation.id,
    inboxId: conversation.inboxId,
    recipient,
    threadKey: conversation.threadKey,
    channelRef: conversation.channelRef,
    subject: conversation.subject,
    text: message.text,
    attachments: extra.attachments,
    meta: message.meta,
    ...withButtons(message.meta),
    senderName: extra.senderName,
    createdAt: message.createdAt,
  };
}
