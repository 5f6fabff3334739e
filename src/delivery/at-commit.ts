import type { OutboundMessage } from '../../channels/types';
import type { ChannelHost } from '../channel-host/channel-host';
import type { ChannelKind } from '../db/schema';
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

  /** Whether a message on this channel to this identity can go this way. */
  accepts(
    channel: ChannelKind,
    recipient: { kind: string; value: string; state: string } | null,
  ): recipient is { kind: OutboundMessage['recipient']['kind']; value: string; state: 'ok' } {
    const definition = this.host.definition(channel);
    return (
      definition?.sendsAtCommit === true &&
      recipient?.state === 'ok' &&
      recipient.kind === definition.recipientKind
    );
  }

  async push(message: OutboundMessage): Promise<void> {
    try {
      await this.host.send(message.inboxId, message, NEVER_ABORTED);
    } catch (err) {
      this.logger.warn(
        { err, messageId: message.messageId, inboxId: message.inboxId },
        'push after commit failed: the customer gets the message when the widget reconnects',
      );
    }
  }
}
