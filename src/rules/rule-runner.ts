import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Db, Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  cannedResponses,
  complaints,
  conversations,
  ruleRuns,
  type ComplaintRow,
  type ConversationRow,
} from '../db/schema';
import type { Actor, Publish } from '../events/domain-events';
import type { Emit } from '../events/event-map';
import type { ComplaintService } from '../complaints/complaint.service';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageService } from '../conversations/message.service';
import type { NotificationService } from '../notifications/notification.service';
import type { Logger } from '../logger';
import { audit } from '../audit/audit';
import { setComplaintLevel } from '../complaints/ladder';
import { conditionsHold, type Action, type RuleEvent } from './engine';
import { loadFacts, ranWithin, type EventRefs, type LoadedFacts } from './facts';
import type { RuleDto, RuleService } from './rule.service';

/** A chain of rules triggering rules stops here: no loop runs forever. */
const MAX_DEPTH = 3;

/** Where `callWebhook` hands its delivery (the outgoing-webhooks module). */
export interface WebhookDispatch {
  enqueue(tx: Tx, webhookId: string, event: string, data: Record<string, unknown>): Promise<void>;
}

interface ActionContext {
  tx: Tx;
  emit: Emit;
  publish: Publish;
  rule: RuleDto;
  actor: Actor & { type: 'system' };
  facts: LoadedFacts;
  conv: ConversationRow;
  complaint: ComplaintRow | null;
  event: RuleEvent;
}

/**
 * Runs the rules of one durable event (called from its `event` job, so once across
 * instances). An action done by a rule carries that rule as its actor: a rule never triggers itself, and a
 * chain of rules stops after a few links. Every action is audited with the rule that did it.
 */
export class RuleRunner {
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly rules: RuleService,
    private readonly complaints: ComplaintService,
    private readonly messages: MessageService,
    private readonly conversations: ConversationRepository,
    private readonly notifications: NotificationService,
    private readonly webhooks: WebhookDispatch,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async run(event: RuleEvent, refs: EventRefs, actor?: Actor): Promise<void> {
    const depth = actor?.type === 'system' ? (actor.depth ?? 0) : 0;
    if (depth >= MAX_DEPTH) return;
    const list = await this.rules.forEvent(event);
    if (!list.length) return;
    const now = this.clock.now();
    // Every rule of the event judges the facts as the event found them: one rule's action (a
    // level change) must not make the next rule of the same event fire too. What an action
    // causes arrives as events of its own.
    const facts = await loadFacts(this.db, refs, now);
    if (!facts) return;
    for (const rule of list) {
      if (actor?.type === 'system' && actor.rule === rule.id) continue;
      if (!conditionsHold(rule.conditions, facts.values)) continue;
      const target = facts.complaint?.conversationId ?? facts.conversation.id;
      const cooldown = rule.options.cooldownHours;
      if (cooldown && (await ranWithin(this.db, rule.id, target, cooldown, now))) continue;
      try {
        await this.act(rule, facts, event, { type: 'system', rule: rule.id, depth: depth + 1 });
      } catch (err) {
        // One rule failing does not stop the others; the event job is not retried for it.
        this.logger.error({ err, rule: rule.id, event }, 'rule failed');
      }
    }
  }

  private async act(
    rule: RuleDto,
    facts: LoadedFacts,
    event: RuleEvent,
    actor: ActionContext['actor'],
  ): Promise<void> {
    await this.uow.run(async (tx, emit, publish) => {
      // The complaint a customer came back about may live in another conversation: act there.
      const targetId = facts.complaint?.conversationId ?? facts.conversation.id;
      const conv = await this.conversations.lock(tx, targetId);
      if (!conv) return;
      const ctx: ActionContext = {
        tx,
        emit,
        publish,
        rule,
        actor,
        facts,
        conv,
        complaint: null,
        event,
      };
      for (const action of rule.actions) {
        ctx.complaint = await this.complaintOf(tx, conv.id);
        const done = await this.perform(action, ctx);
        if (done)
          await audit(tx, actor, 'conversation', conv.id, `rule:${action.type}`, {
            rule: rule.name,
            ruleVersion: rule.version,
            event,
            ...done,
          });
      }
      await tx
        .insert(ruleRuns)
        .values({ ruleId: rule.id, conversationId: conv.id, ranAt: this.clock.now() });
      const dto = await this.conversations.dto(conv.id, tx);
      if (dto) emit('conversation.updated', { conversation: dto, changes: ['rule'] });
    });
  }

  private async complaintOf(tx: Tx, conversationId: string) {
    const [row] = await tx
      .select()
      .from(complaints)
      .where(eq(complaints.conversationId, conversationId))
      .for('update');
    return row ?? null;
  }

  /** Does one action; returns what to audit, or null when there was nothing to do. */
  private async perform(a: Action, c: ActionContext): Promise<Record<string, unknown> | null> {
    const { tx, emit, publish, conv, actor } = c;
    switch (a.type) {
      case 'escalate': {
        const current = c.complaint?.level ?? 0;
        const level = a.level ?? Math.min(4, Math.max(current, 1) + 1);
        if (level <= current) return null;
        const change = await setComplaintLevel(tx, conv, {
          level,
          reason: a.reason ?? c.rule.name,
          actorId: null,
          actorType: 'rule',
          rule: c.rule.id,
        });
        await this.conversations.update(tx, conv.id, {
          status: conv.status === 'resolved' || conv.status === 'snoozed' ? 'open' : conv.status,
          priority: level >= 3 && conv.priority !== 'urgent' ? 'high' : conv.priority,
          snoozedUntil: null,
          resolvedAt: conv.status === 'resolved' ? null : conv.resolvedAt,
        });
        const dto = (await this.conversations.dto(conv.id, tx))!;
        emit('conversation.escalated', {
          conversation: dto,
          level,
          fromLevel: change.from,
          reason: a.reason ?? c.rule.name,
        });
        await publish('complaint.changed', {
          complaintId: change.complaint.id,
          conversationId: conv.id,
          changes: { level: { from: change.from, to: level } },
          actor,
        });
        return { from: change.from, to: level };
      }
      case 'openComplaint': {
        if (c.complaint) return null;
        const opened = await this.complaints.openIn(
          tx,
          emit,
          publish,
          conv,
          { category: a.category },
          actor,
        );
        return { reference: opened.reference };
      }
      case 'flagLegal': {
        if (!c.complaint || c.complaint.legalFlag) return null;
        await tx
          .update(complaints)
          .set({ legalFlag: true, updatedAt: new Date() })
          .where(eq(complaints.id, c.complaint.id));
        return { complaint: c.complaint.reference };
      }
      case 'assignTeam':
        return this.change(c, { teamId: a.teamId });
      case 'assignAgent':
        return this.change(c, { assigneeId: a.userId });
      case 'setPriority':
        return this.change(c, { priority: a.priority });
      case 'addLabel':
        if (conv.labels.includes(a.label)) return null;
        return this.change(c, { labels: [...conv.labels, a.label].sort() });
      case 'applySla':
        return this.change(c, { slaPolicyId: a.policyId, slaPolicyPinned: true });
      case 'notifySupervisors': {
        const reference = c.complaint ? ` (${c.complaint.reference})` : '';
        await this.notifications.toSupervisors(tx, emit, {
          kind: 'rule',
          title: `${a.message}${reference}`,
          body: c.rule.name,
          conversationId: conv.id,
        });
        return { message: a.message };
      }
      case 'sendMessage': {
        const language = c.facts.contactLanguage;
        const text = language === 'fa' || language === 'ru' ? a.text[language] : a.text.en;
        const m = await this.messages.post(tx, emit, publish, conv, {
          sender: { type: 'system' },
          text,
          actor,
        });
        return { messageId: m.id };
      }
      case 'sendTemplate': {
        const [canned] = await tx
          .select()
          .from(cannedResponses)
          .where(eq(cannedResponses.id, a.cannedResponseId));
        if (!canned) return null;
        const m = await this.messages.post(tx, emit, publish, conv, {
          sender: { type: 'system' },
          text: canned.content,
          actor,
        });
        return { messageId: m.id, template: canned.shortCode };
      }
      case 'callWebhook':
        await this.webhooks.enqueue(tx, a.webhookId, c.event, {
          conversationId: conv.id,
          complaintId: c.complaint?.id ?? null,
          rule: c.rule.id,
        });
        return { webhookId: a.webhookId };
    }
  }

  /** A field change on the conversation, announced as a durable change by this rule. */
  private async change(
    c: ActionContext,
    set: Partial<typeof conversations.$inferInsert>,
  ): Promise<Record<string, unknown> | null> {
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(set)) {
      const from = c.conv[k as keyof ConversationRow];
      if (JSON.stringify(from) !== JSON.stringify(v)) changes[k] = { from, to: v };
    }
    if (!Object.keys(changes).length) return null;
    await c.tx
      .update(conversations)
      .set({ ...set, updatedAt: sql`now()` })
      .where(eq(conversations.id, c.conv.id));
    Object.assign(c.conv, set);
    await c.publish('conversation.updated', {
      conversationId: c.conv.id,
      inboxId: c.conv.inboxId,
      changes,
      actor: c.actor,
    });
    return { changes };
  }
}
