import { z } from 'zod';
import { ChannelSendError, type ChannelDefinition } from '../types';
import { toVisitorEvent, type VisitorMessageEvent } from './visitor-event';

/** How the channel reaches a visitor's browser; the `/webchat` socket gateway implements it. */
export interface WebchatTransport {
  pushToVisitor(visitorId: string, event: 'message', payload: VisitorMessageEvent): void;
  agentTyping(conversationId: string, typing: boolean): void;
}

const noCredentials = z.object({}).strict();

/** The website widget: no credentials, no webhook; it speaks over socket.io. */
export function webchatChannel(
  transport: WebchatTransport,
): ChannelDefinition<z.infer<typeof noCredentials>> {
  return {
    kind: 'webchat',
    displayName: 'Web chat',
    recipientKind: 'webchat',
    supportsTyping: true,
    // send() is a push to the visitor's room; the widget replays the conversation on connect.
    sendsAtCommit: true,
    threaded: false,
    credentials: noCredentials,
    credentialKeys: [],
    create: () => ({
      async send(message) {
        if (message.recipient.kind !== 'webchat') {
          throw new ChannelSendError(
            `web chat cannot reach a ${message.recipient.kind} identity`,
            false,
          );
        }
        // The visitor may be offline: the message is kept and replayed when they come back, so
        // "sent" means handed to the visitor's room, which is all this channel can promise.
        transport.pushToVisitor(
          message.recipient.value,
          'message',
          toVisitorEvent({ ...message, id: message.messageId, direction: 'out' }),
        );
        return { providerMessageId: message.messageId };
      },
      typing(target, typing) {
        transport.agentTyping(target.conversationId, typing);
      },
    }),
  };
}
