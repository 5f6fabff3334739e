import type { UnitOfWork } from '../db/unit-of-work';
import type { JobHandler } from '../jobs/worker';
import type { ConversationRepository } from './conversation.repository';

/**
 * The `snooze.wake` job: at its time, a snoozed conversation opens again. The update is
 * conditional on the conversation still being snoozed until that very time, so a conversation
 * re-snoozed, reopened or answered meanwhile is left alone, and a wake-up happens once.
 */
export function snoozeWakeHandler(uow: UnitOfWork, repo: ConversationRepository): JobHandler {
  return async (ctx) => {
    const conversationId = String(ctx.job.payload['conversationId']);
    const until = String(ctx.job.payload['until']);
    await uow.run(async (tx, emit, publish) => {
      await ctx.complete(tx);
      if (!(await repo.wake(tx, conversationId, until))) return;
      const conversation = (await repo.dto(conversationId, tx))!;
      emit('conversation.updated', { conversation, changes: ['status', 'snoozedUntil'] });
      await publish('conversation.updated', {
        conversationId,
        inboxId: conversation.inboxId,
        changes: {
          status: { from: 'snoozed', to: 'open' },
          snoozedUntil: { from: until, to: null },
        },
        actor: { type: 'system' },
      });
    });
  };
}
