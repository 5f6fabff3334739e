import type { Db } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { FunctionBatcher } from '../db/function-batcher';
import { rowFromJson } from '../db/json-row';
import { messages, type BotLanguage } from '../db/schema';
import type { EventMap } from '../events/event-map';
import type { DurableEvents } from '../jobs/durable-events';
import type { ConversationRepository } from '../conversations/conversation.repository';
import { outboundContent } from '../conversations/message.service';
import { toMessageDto } from '../conversations/dto';
import type { AtCommitDelivery } from '../delivery/at-commit';
import { SwitchboardAdapter, type BotReply } from './adapter';
import { ConversationState } from 'botbuilder-core';
import { SwitchboardBot } from './bot';
import { DbStorage, NeedsTransaction, type CapturedWrite } from './db-storage';
import { customerName, oneMessage, takeTurn, type TurnKit } from './turn-kit';

/** The argument of bot_turn_commit() (migration 0019). */
interface CommitCall {
  conversation: string;
  job_key: string;
  at: string;
  states: { key: string; doc: Record<string, unknown>; etag: number | null }[];
  language?: BotLanguage;
  reply?: { text: string; search_text: string; preview: string; meta: Record<string, unknown> };
  sent_at_commit: boolean;
  max_attempts: number;
  /** Durable listeners of the reply's `message.posted`, and the event without its ids. */
  listeners: string[];
  posted: Record<string, unknown>;
}

type CommitOutcome =
  | { outcome: 'not_bot' | 'switched_off' | 'conflict' | 'taken' }
  | {
      outcome: 'committed';
      message: Record<string, unknown> | null;
      conversation: Record<string, unknown>;
      contact: { id: string; name: string };
      assignee_name: string | null;
      team_name: string | null;
    };

/**
 * A turn taken where the customer's message was ingested, outside any transaction: the dialog
 * runs on the state the ingest read, its reads go to the database, its state writes and its
 * reply are held back and committed by one statement (`bot_turn_commit`, group-committed with
 * other turns), which writes only if the conversation is still the bot's, the state is still the
 * one read and the turn's job is still unclaimed. Anything only a transaction can hold (a
 * complaint, a handover), or a state that changed meanwhile, sends the turn to the
 * transactional path: `slow`. Nothing is written before the commit, so giving up is free.
 */
export class FastTurns {
  private readonly adapter = new SwitchboardAdapter();
  private readonly commits: FunctionBatcher<CommitCall, CommitOutcome>;

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly kit: TurnKit,
    private readonly conversationRepo: ConversationRepository,
    private readonly durable: DurableEvents,
    private readonly atCommit: AtCommitDelivery,
    private readonly opts: { maxAttempts: number },
  ) {
    this.commits = new FunctionBatcher(db, {
      fn: 'bot_turn_commit',
      orderKey: (call) => call.conversation,
    });
  }

  async run(due: EventMap['bot.turn']): Promise<'done' | 'slow'> {
    const { conversation: conv, message, bot } = due;
    if (!bot.enabled) return 'slow';
    const prepared = await this.kit.prepare({
      inboxId: conv.inboxId,
      channel: conv.channel,
      priority: conv.priority,
      level: conv.level,
      tier: bot.tier,
      businessHoursId: bot.business_hours_id,
    });
    let language: BotLanguage | undefined;
    const held = (what: string) => () => Promise.reject(new NeedsTransaction(what));
    const ports = this.kit.ports(this.db, conv.contactId, prepared, {
      rememberLanguage: async (l) => {
        language = l;
      },
      openComplaint: held('a complaint'),
      handover: held('a handover'),
    });
    const writes = new Map<string, CapturedWrite>();
    let replies: BotReply[];
    try {
      // Reads from what ingest returned; writes held back for the commit below.
      const storage = new DbStorage(this.db, new Map([[bot.state_key, bot.state]]), writes);
      replies = await takeTurn(this.adapter, new SwitchboardBot(new ConversationState(storage)), {
        conv,
        message,
        customer: { name: customerName(bot.name, bot.identities), language: bot.language },
        ports,
      });
    } catch (err) {
      if (err instanceof NeedsTransaction) return 'slow';
      throw err;
    }

    const content = outboundContent(oneMessage(replies));
    const reply = content.text.trim() ? content : null;
    // The web widget's reply is recorded sent and pushed after the commit; others get a job.
    const pushTo = reply && this.atCommit.recipientFor(conv.channel, bot.recipient);
    const sentAtCommit = !!pushTo;
    const posted = {
      senderType: 'bot' as const,
      private: false,
      conversationStatus: 'bot' as const,
      actor: { type: 'bot' as const },
    };
    const listeners = reply
      ? this.durable.listenersFor('message.posted', {
          ...posted,
          messageId: '',
          conversationId: conv.id,
          inboxId: conv.inboxId,
        })
      : [];
    const call: CommitCall = {
      conversation: conv.id,
      job_key: bot.job_key,
      at: new Date().toISOString(),
      states: [...writes].map(([key, w]) => ({ key, doc: w.doc, etag: w.etag })),
      ...(language ? { language } : {}),
      ...(reply
        ? {
            reply: {
              text: reply.text,
              search_text: reply.searchText,
              preview: reply.preview,
              meta: reply.meta,
            },
          }
        : {}),
      sent_at_commit: sentAtCommit,
      max_attempts: this.opts.maxAttempts,
      listeners,
      posted,
    };

    const committed = await this.uow.statement(async (_db, emit) => {
      const outcome = await this.commits.run(call);
      // The dialog changed meanwhile, or the bot was switched off: the transactional turn decides.
      if (outcome.outcome === 'conflict' || outcome.outcome === 'switched_off')
        return 'slow' as const;
      if (outcome.outcome !== 'committed' || !outcome.message) return null;
      const { row, dto } = await this.conversationRepo.fromFunction(outcome);
      const stored = rowFromJson(messages, outcome.message);
      emit('message.created', {
        conversationId: row.id,
        inboxId: row.inboxId,
        message: toMessageDto(stored, null, []),
        conversation: dto,
      });
      if (!sentAtCommit || listeners.length) emit('jobs.enqueued', {});
      return { row, stored };
    });
    if (committed === 'slow') return 'slow';
    if (committed && pushTo) await this.atCommit.push(committed.row, committed.stored, pushTo);
    return 'done';
  }
}
