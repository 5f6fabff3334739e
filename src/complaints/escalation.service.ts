import type { UnitOfWork } from '../db/unit-of-work';
import type { Principal } from '../auth/auth.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { ConversationService } from '../conversations/conversation.service';
import { audit } from '../audit/audit';
import { nextLevel, setComplaintLevel } from './ladder';

/** Escalations by people: a conversation (or its complaint) moves up the ladder. */
export class EscalationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly conversations: ConversationService,
    private readonly repo: ConversationRepository,
  ) {}

  async escalate(
    principal: Principal,
    id: string,
    input: { reason: string; level?: number | undefined },
  ) {
    return this.uow.run(async (tx, emit, publish) => {
      const row = await this.conversations.lockVisible(tx, principal, id);
      const level = nextLevel(row.level, input.level);
      const change = await setComplaintLevel(tx, row, {
        level,
        reason: input.reason,
        actorId: principal.id,
      });
      // Escalated complaints must be seen: an escalation never stays snoozed or resolved.
      await this.repo.update(tx, id, {
        status: row.status === 'resolved' || row.status === 'snoozed' ? 'open' : row.status,
        priority: level >= 3 && row.priority !== 'urgent' ? 'high' : row.priority,
        snoozedUntil: null,
        resolvedAt: row.status === 'resolved' ? null : row.resolvedAt,
      });
      const actor = { type: 'user' as const, id: principal.id };
      await audit(tx, actor, 'conversation', id, 'escalate', {
        from: change.from,
        to: level,
        reason: input.reason,
      });
      const dto = (await this.repo.dto(id, tx))!;
      emit('conversation.escalated', {
        conversation: dto,
        level,
        fromLevel: change.from,
        reason: input.reason,
      });
      emit('conversation.updated', { conversation: dto, changes: ['level'] });
      await publish('complaint.changed', {
        complaintId: change.complaint.id,
        conversationId: id,
        changes: { level: { from: change.from, to: level } },
        actor,
      });
      return dto;
    });
  }

  async history(principal: Principal, id: string) {
    await this.conversations.requireVisible(principal, id);
    const rows = await this.repo.escalations(id);
    return rows.map(({ e, actorName }) => ({
      fromLevel: e.fromLevel,
      toLevel: e.toLevel,
      reason: e.reason,
      rule: e.rule,
      actor: e.actorId ? { id: e.actorId, name: actorName ?? '' } : null,
      createdAt: e.createdAt.toISOString(),
    }));
  }
}
