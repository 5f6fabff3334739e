import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { complaints, contacts, messages, type ConversationRow } from '../db/schema';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageService } from '../conversations/message.service';
import type { ComplaintService } from '../complaints/complaint.service';
import { setComplaintLevel } from '../complaints/ladder';
import type { Actor, Publish } from '../events/domain-events';
import type { Emit } from '../events/event-map';
import { audit } from '../audit/audit';
import { ANSWER_VALUES, parseConfirmation } from './answers';
import { CONFIRMATION_TEXTS, langOf } from './texts';

/** Channels where the customer can read and answer a question in text. */
const ASKABLE = new Set(['webchat', 'telegram', 'sms', 'email', 'botframework']);

/**
 * The customer's word on a resolution. When an agent resolves a conversation the customer is
 * asked, on their channel and in their language, whether it is solved (buttons where the
 * channel has them) and to rate the help 1–5. Within the window: "yes" keeps it resolved and
 * asks for a rating, a rating is stored on the conversation and its complaint (`csat.received`),
 * "no" or a new message about the problem reopens it and moves the complaint up the ladder.
 */
export class ConfirmationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageService,
    private readonly complaints: ComplaintService,
    private readonly clock: Clock,
    private readonly opts: { windowDays: number },
  ) {}

  /** After a resolve: the complaint is resolved with it, and the customer is asked. */
  async resolved(conversationId: string, actor: Actor): Promise<void> {
    await this.uow.run(async (tx, emit, publish) => {
      const conv = await this.conversations.lock(tx, conversationId);
      if (!conv || conv.status !== 'resolved') return;
      const now = this.clock.now();
      const [complaint] = await tx
        .update(complaints)
        .set({ status: 'resolved', resolvedAt: now, updatedAt: now })
        .where(
          and(
            eq(complaints.conversationId, conv.id),
            inArray(complaints.status, ['open', 'reopened']),
          ),
        )
        .returning({ id: complaints.id, reference: complaints.reference });
      if (complaint)
        await audit(tx, actor, 'complaint', complaint.id, 'resolve', { with: 'conversation' });
      // The customer did it themselves (closed the chat), or cannot answer in text: no question.
      if (actor.type === 'contact' || !ASKABLE.has(conv.channel) || conv.messageCount === 0) return;
      if (conv.confirmationUntil && conv.confirmationUntil > now) return;
      const t = CONFIRMATION_TEXTS[await this.language(tx, conv)];
      await this.conversations.update(tx, conv.id, {
        confirmationUntil: new Date(now.getTime() + this.opts.windowDays * 86_400_000),
      });
      await this.messages.post(tx, emit, publish, conv, {
        sender: { type: 'system' },
        text: t.question,
        buttons: [
          { label: t.yes, value: ANSWER_VALUES.yes },
          { label: t.no, value: ANSWER_VALUES.no },
        ],
        meta: { confirmation: 'question' },
        actor: { type: 'system' },
      });
    });
  }

  /**
   * A customer's message while the question is open. Returns true when it was an answer (the
   * conversation stays resolved), false otherwise (it was about the problem: reopened).
   */
  async received(conversationId: string, messageId: string): Promise<boolean> {
    return this.uow.run(async (tx, emit, publish) => {
      const conv = await this.conversations.lock(tx, conversationId);
      const now = this.clock.now();
      if (!conv?.confirmationUntil) return false;
      if (conv.confirmationUntil <= now) {
        await this.conversations.update(tx, conv.id, { confirmationUntil: null });
        return false;
      }
      const [message] = await tx
        .select({ text: messages.text, meta: messages.meta, direction: messages.direction })
        .from(messages)
        .where(eq(messages.id, messageId));
      if (!message || message.direction !== 'in' || message.meta['autoReply'] === true)
        return false;
      const answer = parseConfirmation(message.text);
      const [complaint] = await tx
        .select()
        .from(complaints)
        .where(eq(complaints.conversationId, conv.id))
        .for('update');
      const t = CONFIRMATION_TEXTS[await this.language(tx, conv)];
      const system = { sender: { type: 'system' as const }, actor: { type: 'system' as const } };

      if (answer.kind === 'none' || answer.kind === 'no') {
        // Not solved: the conversation was reopened by the message; the complaint follows it up
        // the ladder (the shipped rule moves a reopened complaint one level up).
        await this.conversations.update(tx, conv.id, { confirmationUntil: null });
        const actor: Actor = { type: 'contact', id: conv.contactId };
        let reference: string | null = complaint?.reference ?? null;
        if (complaint && (complaint.status === 'resolved' || complaint.status === 'closed')) {
          await this.complaints.reopenIn(
            tx,
            emit,
            publish,
            complaint,
            answer.kind === 'no'
              ? 'the customer says it is not solved'
              : 'the customer wrote again about it',
            actor,
          );
          await this.markReopening(tx, messageId);
        } else if (!complaint && answer.kind === 'no') {
          reference = await this.complainFor(tx, emit, publish, conv, actor);
          await this.markReopening(tx, messageId);
        }
        if (answer.kind === 'no' && answer.rating !== undefined)
          await this.rate(tx, publish, conv, answer.rating);
        if (answer.kind === 'no')
          await this.messages.post(tx, emit, publish, conv, {
            ...system,
            text: t.sorry(reference),
          });
        return false;
      }

      // Yes and/or a rating: it stays resolved (the message had reopened it).
      await this.conversations.update(tx, conv.id, {
        status: 'resolved',
        resolvedAt: now,
        waitingSince: null,
        unreadCount: 0,
        ...(answer.rating !== undefined || conv.csat !== null ? { confirmationUntil: null } : {}),
      });
      if (answer.rating !== undefined) await this.rate(tx, publish, conv, answer.rating);
      const rated = answer.rating !== undefined || conv.csat !== null;
      await this.messages.post(
        tx,
        emit,
        publish,
        { ...conv, status: 'resolved' },
        {
          ...system,
          text: rated ? t.thanks : t.rate,
          ...(rated
            ? {}
            : {
                buttons: [1, 2, 3, 4, 5].map((n) => ({
                  label: '★'.repeat(n),
                  value: ANSWER_VALUES.rate(n),
                })),
              }),
        },
      );
      const dto = await this.conversations.dto(conv.id, tx);
      if (dto) emit('conversation.updated', { conversation: dto, changes: ['status', 'csat'] });
      return true;
    });
  }

  private async rate(tx: Tx, publish: Publish, conv: ConversationRow, rating: number) {
    await this.conversations.update(tx, conv.id, { csat: rating });
    const [complaint] = await tx
      .update(complaints)
      .set({ csat: rating, updatedAt: sql`now()` })
      .where(eq(complaints.conversationId, conv.id))
      .returning({ id: complaints.id });
    await audit(tx, { type: 'contact', id: conv.contactId }, 'conversation', conv.id, 'csat', {
      rating,
    });
    await publish('csat.received', {
      conversationId: conv.id,
      complaintId: complaint?.id ?? null,
      rating,
    });
  }

  /** "Not solved" on a conversation without a complaint: one is opened, one level up. */
  private async complainFor(
    tx: Tx,
    emit: Emit,
    publish: Publish,
    conv: ConversationRow,
    actor: Actor,
  ): Promise<string> {
    const opened = await this.complaints.openIn(
      tx,
      emit,
      publish,
      conv,
      { category: 'service', description: 'The customer says the problem is not solved.' },
      actor,
    );
    const reason = 'the customer says it is not solved';
    const change = await setComplaintLevel(tx, conv, {
      level: 2,
      reason,
      actorId: null,
      actorType: 'customer',
      rule: null,
    });
    const dto = (await this.conversations.dto(conv.id, tx))!;
    emit('conversation.escalated', { conversation: dto, level: 2, fromLevel: change.from, reason });
    await publish('complaint.changed', {
      complaintId: change.complaint.id,
      conversationId: conv.id,
      changes: { level: { from: change.from, to: 2 } },
      actor,
    });
    return opened.reference;
  }

  /**
   * This message reopened the complaint: the "came back about it" rule must not move it up a
   * second time for the same message.
   */
  private async markReopening(tx: Tx, messageId: string): Promise<void> {
    await tx
      .update(messages)
      .set({ meta: sql`${messages.meta} || '{"reopenedComplaint":true}'::jsonb` })
      .where(eq(messages.id, messageId));
  }

  private async language(tx: Tx, conv: ConversationRow) {
    const [c] = await tx
      .select({ language: contacts.language })
      .from(contacts)
      .where(eq(contacts.id, conv.contactId));
    return langOf(c?.language);
  }
}
