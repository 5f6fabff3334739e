import type { ChannelHost } from '../channel-host/channel-host';
import type { ChannelKind, ConversationRow, IdentityKind, MessageRow } from '../db/schema';
import { outboundOf } from './outbound';
import type { Logger } from '../logger';

/** A push is a local emit that never waits: nothing to time out (a timer per message costs). */
const NEVER_ABORTED = new AbortController().signal;

/**
 * Delivery without a job, for channels whose send is a push to a transport that replays what the
 * customer missed (`sendsAtCommit`: the web widget replays its conversation when it connects).
 * The message is recorded sent in the transaction that writes it, and pushed right after the
 * commit; a push that fails (or a process that stops in between) costs only the live push.
 */
export class AtCommitDelivery {
  constructor(
    private readonly host: ChannelHost,
    private readonly logger: Logger,
  ) {}

  /**
   * The identity a message on this channel goes to this way, or null when it cannot (the channel
   * needs a delivery job, or the identity is unreachable or of another kind).
   */
  recipientFor(
    channel: ChannelKind,
    identity: { kind: string; value: string; state: string } | null,
  ): { kind: IdentityKind; value: string } | null {
    const definition = this.host.definition(channel);
    return definition?.sendsAtCommit === true &&
      identity?.state === 'ok' &&
      identity.kind === definition.recipientKind
      ? { kind: definition.recipientKind, value: identity.value }
      : null;
  }

  /** Pushes a message recorded sent in a transaction that has committed. */
  async push(
    conversation: ConversationRow,
    message: MessageRow,
    recipient: { kind: IdentityKind; value: string },
  ): Promise<void> {
    const outbound = outboundOf(conversation, message, recipient, {
      attachments: [],
      senderName: null,
    });
    try {
      await this.host.send(outbound.inboxId, outbound, NEVER_ABORTED);
    } catch (err) {
      this.logger.warn(
        { err, messageId: outbound.messageId, inboxId: outbound.inboxId },
        'push after commit failed: the customer gets the message when the widget reconnects',
      );
    }
  }
}
