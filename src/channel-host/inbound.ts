import type { ParsedEvent } from '../../channels/types';
import type { ContactService } from '../contacts/contact.service';
import type { ContactLinkService } from '../contacts/contact-link.service';
import type { MessageService } from '../conversations/message.service';
import type { IngestResult, IngestService } from '../ingest/ingest.service';
import type { Logger } from '../logger';
import type { LiveInbox } from './channel-host';
import { serializeEvents, type FailedIngestRepository } from './failed-ingests';
import type { HealthTracker } from './health';

export interface ProcessedEvent {
  event: ParsedEvent;
  /** Set for `message` events: what was stored (or found stored: a redelivery). */
  ingested?: IngestResult;
  /** Set when the event could not be stored and was kept as a failed ingest instead. */
  failedIngestId?: string;
}

/**
 * Where parsed channel events land, whether they came by webhook or by a receiver: messages
 * through ingest, edits and delivery statuses onto their messages, reachability onto the
 * customer's identity, deep links onto profiles. In order: a run of messages (a receiver's
 * batch) is ingested together, so the batcher makes few statements of it, each sender's in
 * order. An event that fails twice is kept as a failed ingest (with the error) and the rest go
 * on: one poison message never blocks an inbox. Only when even that record cannot be written
 * (the database is down) does `process` throw, so the provider retries or the receiver keeps
 * its cursor.
 */
export class InboundProcessor {
  constructor(
    private readonly ingest: IngestService,
    private readonly messages: MessageService,
    private readonly contacts: ContactService,
    private readonly health: HealthTracker,
    private readonly links: ContactLinkService,
    private readonly failed: FailedIngestRepository,
    private readonly logger: Logger,
  ) {}

  async process(
    live: LiveInbox,
    events: ParsedEvent[],
    source: 'webhook' | 'receiver',
  ): Promise<ProcessedEvent[]> {
    const out: ProcessedEvent[] = new Array(events.length);
    for (let i = 0; i < events.length;) {
      let end = i;
      while (end < events.length && events[end]!.type === 'message') end++;
      if (end > i) {
        // A run of messages: each sender's one after the other, senders side by side.
        const bySender = new Map<string, number[]>();
        for (let n = i; n < end; n++) {
          const e = events[n]!;
          const key =
            e.type === 'message' ? `${e.message.sender.kind}:${e.message.sender.value}` : '';
          bySender.set(key, [...(bySender.get(key) ?? []), n]);
        }
        await Promise.all(
          [...bySender.values()].map(async (indexes) => {
            for (const n of indexes) out[n] = await this.safely(live, events[n]!, source);
          }),
        );
        i = end;
      } else {
        out[i] = await this.safely(live, events[i]!, source);
        i++;
      }
    }
    return out;
  }

  /** Applies events without catching: an admin's retry sees the error itself. */
  async apply(live: LiveInbox, events: ParsedEvent[]): Promise<ProcessedEvent[]> {
    const out: ProcessedEvent[] = [];
    for (const event of events) out.push(await this.applyOnce(live, event));
    return out;
  }

  /** Once, once more, then kept as a failed ingest. */
  private async safely(
    live: LiveInbox,
    event: ParsedEvent,
    source: 'webhook' | 'receiver',
  ): Promise<ProcessedEvent> {
    try {
      return await this.applyOnce(live, event);
    } catch (first) {
      try {
        return await this.applyOnce(live, event);
      } catch (err) {
        const error = (err as Error).message || String(err);
        const failedIngestId = await this.failed
          .record({
            inboxId: live.inbox.id,
            source,
            payload: serializeEvents([event]),
            meta: { kind: 'events', type: event.type },
            error,
          })
          .catch(() => {
            throw first;
          });
        this.logger.error(
          { inboxId: live.inbox.id, failedIngestId, err },
          'inbound event could not be stored; kept for an admin',
        );
        this.health.failing(live.inbox.id, `a message could not be stored: ${error}`);
        return { event, failedIngestId };
      }
    }
  }

  private async applyOnce(live: LiveInbox, event: ParsedEvent): Promise<ProcessedEvent> {
    const threaded = live.definition.threadedFor?.(live.inbox.settings) ?? live.definition.threaded;
    const inbox = { ...live.inbox, threaded };
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
        return { event, ingested };
      }
      case 'edit':
        await this.messages.applyEdit(inbox.id, event);
        return { event };
      case 'status':
        await this.messages.applyStatus(inbox.id, event);
        return { event };
      case 'identity':
        await this.contacts.setIdentityState(event.identity, event.state, event.reason);
        return { event };
      case 'link':
        await this.links.redeem(inbox.id, event.token, event.identity);
        return { event };
    }
  }
}
