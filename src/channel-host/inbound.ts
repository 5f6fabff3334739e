import type { InboundMessage, ParsedEvent } from '../../channels/types';
import type { ContactService } from '../contacts/contact.service';
import type { MessageService } from '../conversations/message.service';
import type { InboxRef, IngestResult, IngestService } from '../ingest/ingest.service';
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
 * customer's identity. In order, each stored before the next (a run of messages together, in
 * one statement, each contact's in order); resolves once all are stored.
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
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      switch (event.type) {
        case 'message': {
          // A run of messages (a receiver's batch) is ingested together, so the batcher makes
          // few statements of it; each sender's messages still go one after the other, in order.
          const run: InboundMessage[] = [];
          for (let j = i; j < events.length; j++) {
            const next = events[j]!;
            if (next.type !== 'message') break;
            run.push(next.message);
          }
          const results = await this.ingestRun(inbox, run);
          run.forEach((_, n) => {
            const ingested = results[n]!;
            if (!ingested.duplicate) this.health.messageIn(inbox.id);
            out.push({ event: events[i + n]!, ingested });
          });
          i += run.length - 1;
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

  private async ingestRun(inbox: InboxRef, run: InboundMessage[]): Promise<IngestResult[]> {
    const results: IngestResult[] = new Array(run.length);
    const bySender = new Map<string, number[]>();
    run.forEach((m, n) => {
      const key = `${m.sender.kind}:${m.sender.value}`;
      bySender.set(key, [...(bySender.get(key) ?? []), n]);
    });
    await Promise.all(
      [...bySender.values()].map(async (indexes) => {
        for (const n of indexes) results[n] = await this.ingest.ingest(inbox, run[n]!);
      }),
    );
    return results;
  }
}
