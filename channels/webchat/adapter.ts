import type { ChannelAdapter, OutboundMessage, SendResult } from '../types';
import { ChannelSendError } from '../types';

export interface VisitorMessageEvent {
  id: string;
  text: string;
  direction: 'in' | 'out';
  createdAt: string;
}

/** How the adapter reaches a visitor's browser; the socket gateway implements it. */
export interface WebchatTransport {
  pushToVisitor(visitorId: string, event: 'message', payload: VisitorMessageEvent): void;
}

export function toVisitorEvent(m: {
  id: string;
  text: string;
  direction: 'in' | 'out';
  createdAt: Date | string;
}): VisitorMessageEvent {
  return {
    id: m.id,
    text: m.text,
    direction: m.direction,
    createdAt: typeof m.createdAt === 'string' ? m.createdAt : m.createdAt.toISOString(),
  };
}

export class WebchatAdapter implements ChannelAdapter {
  readonly kind = 'webchat' as const;

  constructor(private readonly transport: WebchatTransport) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    if (message.recipient.kind !== 'webchat') {
      throw new ChannelSendError(
        `web chat cannot reach a ${message.recipient.kind} identity`,
        false,
      );
    }
    // The visitor may be offline: the message is kept and replayed when they come back, so
    // "sent" means handed to the visitor's room, which is all this channel can promise.
    this.transport.pushToVisitor(
      message.recipient.value,
      'message',
      toVisitorEvent({ ...message, id: message.messageId, direction: 'out' }),
    );
    return { providerMessageId: message.messageId };
  }
}
