import { describe, expect, it } from 'vitest';
import type { Executor } from '../db/client';
import type { DomainEventMap } from '../events/domain-events';
import { DurableEvents } from './durable-events';
import type { JobQueue, NewJob } from './job-queue';

function recorder() {
  const written: NewJob[] = [];
  const queue = {
    enqueue: async (_tx: Executor, job: NewJob) => {
      written.push(job);
    },
  } as Pick<JobQueue, 'enqueue'>;
  return { written, events: new DurableEvents(queue as JobQueue) };
}

const posted = (
  over: Partial<DomainEventMap['message.posted']>,
): DomainEventMap['message.posted'] => ({
  messageId: 'm1',
  conversationId: 'c1',
  inboxId: 'i1',
  senderType: 'bot',
  private: false,
  actor: { type: 'bot' },
  conversationStatus: 'bot',
  ...over,
});

describe('DurableEvents.publish', () => {
  const tx = {} as Executor;

  it('writes one job per listener that is active and wants the event', async () => {
    const { written, events } = recorder();
    events.on('message.posted', 'ladder', async () => undefined, {
      wants: (e) => !(e.senderType === 'bot' && e.conversationStatus === 'bot'),
    });
    events.on('message.posted', 'webhooks', async () => undefined);
    events.on('message.posted', 'idle', async () => undefined, { active: () => false });

    expect(await events.publish(tx, 'message.posted', posted({}))).toBe(1);
    expect(written.map((j) => j.payload['listener'])).toEqual(['webhooks']);

    written.length = 0;
    const handedOver = posted({ conversationStatus: 'open' });
    expect(await events.publish(tx, 'message.posted', handedOver)).toBe(2);
    expect(written.map((j) => j.payload['listener'])).toEqual(['ladder', 'webhooks']);
  });

  it('tells the ingest function every active listener (it filters by its own state)', () => {
    const { events } = recorder();
    events.on('message.received', 'bot', async () => undefined);
    events.on('message.received', 'off', async () => undefined, { active: () => false });
    expect(events.subscriptions(['message.received', 'conversation.created'])).toEqual({
      'message.received': ['bot'],
    });
  });
});
