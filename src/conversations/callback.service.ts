import type { UnitOfWork } from '../db/unit-of-work';
import type { Principal } from '../auth/auth.service';
import { audit } from '../audit/audit';
import { CALLBACK_LABEL } from '../../channels/voice/ivr';
import type { ConversationRepository } from './conversation.repository';
import type { ConversationService } from './conversation.service';
import type { MessageService } from './message.service';
import type { ConversationDto, MessageDto } from './dto';

export const CALLBACK_OUTCOMES = [
  'reached',
  'no_answer',
  'busy',
  'left_voicemail',
  'wrong_number',
] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

const OUTCOME_TEXT: Readonly<Record<CallbackOutcome, string>> = {
  reached: 'reached the customer',
  no_answer: 'no answer',
  busy: 'the line was busy',
  left_voicemail: 'left a voicemail',
  wrong_number: 'wrong number',
};

/** Outcomes after which nobody needs to call again; the others keep the request open. */
const SETTLED = new Set<CallbackOutcome>(['reached', 'left_voicemail', 'wrong_number']);

/**
 * An agent called a customer back (a request left in the phone menu, or any conversation): the
 * attempt is recorded in the thread as an internal system note, and a settled attempt clears
 * the conversation's `callback_requested` label. Access as for replying.
 */
export class CallbackService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly conversations: ConversationService,
    private readonly repo: ConversationRepository,
    private readonly messages: MessageService,
  ) {}

  async record(
    principal: Principal,
    id: string,
    input: { outcome: CallbackOutcome; note?: string | undefined },
  ): Promise<{ message: MessageDto; conversation: ConversationDto }> {
    return this.uow.run(async (tx, emit, publish) => {
      const row = await this.conversations.lockVisible(tx, principal, id);
      const note = input.note?.trim();
      const message = await this.messages.post(tx, emit, publish, row, {
        sender: { type: 'system' },
        // Never sent to the customer: a record of the call in the thread.
        private: true,
        text: `Called back by ${principal.name}: ${OUTCOME_TEXT[input.outcome]}${note ? ` — ${note}` : ''}`,
        meta: { callback: { outcome: input.outcome, by: principal.id, note: note ?? null } },
      });
      const settled = SETTLED.has(input.outcome) && row.labels.includes(CALLBACK_LABEL);
      if (settled) {
        const labels = row.labels.filter((l) => l !== CALLBACK_LABEL);
        await this.repo.update(tx, id, { labels });
        emit('conversation.updated', {
          conversation: (await this.repo.dto(id, tx))!,
          changes: ['labels'],
        });
        await publish('conversation.updated', {
          conversationId: id,
          inboxId: row.inboxId,
          changes: { labels: { from: row.labels, to: labels } },
          actor: { type: 'user', id: principal.id },
        });
      }
      await audit(tx, { type: 'user', id: principal.id }, 'conversation', id, 'callback', {
        outcome: input.outcome,
        note: note ?? null,
        cleared: settled,
      });
      return { message, conversation: (await this.repo.dto(id, tx))! };
    });
  }
}
