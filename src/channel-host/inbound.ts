import type { ParsedEvent } from '../../channels/types';
import type { ContactService } from '../contacts/contact.service';
import type { MessageService } from '../conversations/message.service';
import type { IngestResult, IngestService } from '../ingest/ingest.service';
import type { HealthTracker } from './health';
import type { LiveInbox } from './channel-host';

export interface ProcessedEvent {
  event: ParsedEvent;
  /** Set for `message` events: what was stored (or found stored: a redelivery). */
  ingested?: IngestResult;
}

/**
 * Where parsed channel events land, whether they came by webhook or by a receiver: messages
 * through ingest, edits and delivery statuses onto their messages, reachability onto the
 * customer's identity. In order, each stored before the next; resolves once all are stored.
 */
export class InboundProcessor {
  constructor(
    private readonly ingest: IngestService,
    private readonly messages: MessageService,
    private readonly contacts: ContactService,
    private readonly health: HealthTracker,
  ) {}

  async process(live: LiveInbox, events: ParsedEvent[]): Promise<ProcessedEvent[]> {
    const out: ProcessedEvent[] = [];
    const inbox = { ...live.inbox, threaded: live.definition.threaded };
    for (const event of events) {
      switch (event.type) {
        case 'message': {
          const ingested = await this.ingest.ingest(inbox, event.message);
          if (!ingested.duplicate) {
            this.health.messageIn(inbox.id);
            const reply = event.message.autoReply;
            // Never to a customer who opted out or blocked us; the delivery job would refuse it
            // anyway, but an automatic message should not even be written then.
            if (reply && (await this.contacts.reachable(event.message.sender)))
              await this.messages.postTo(ingested.conversation.id, {
                sender: { type: 'system' },
                text: reply.text,
              });
          }
          out.push({ event, ingested });
          break;
        }
        case 'edit':
          await this.messages.applyEdit(inbox.id, event);
          out.push({ event });
          break;
        case 'status':
          await this.messages.applyStatus(inbox.id, event);
          out.push({ event });
          break;
        case 'identity':
          await this.contacts.setIdentityState(event.identity, event.state, event.reason);
          out.push({ event });
          break;
      }
    }
    return out;
  }
}
