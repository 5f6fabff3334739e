import { ConversationState } from 'botbuilder-core';
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  contacts,
  conversations,
  messages,
  type BotLanguage,
  type IdentityKind,
  type ConversationRow,
} from '../db/schema';
import type { Emit, EventMap } from '../events/event-map';
import type { Publish } from '../events/domain-events';
import type { DurableEvents } from '../jobs/durable-events';
import { EVENT_JOB } from '../jobs/durable-events';
import type { JobQueue } from '../jobs/job-queue';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageService } from '../conversations/message.service';
import type { ComplaintService } from '../complaints/complaint.service';
import type { AtCommitDelivery } from '../delivery/at-commit';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { SwitchboardAdapter, type BotReply } from './adapter';
import { SwitchboardBot } from './bot';
import { DbStorage, EtagConflictError, type StoredDoc } from './db-storage';
import { FastTurns } from './fast-turn';
import { KeyedQueue } from './keyed-queue';
import type { JobContext } from '../jobs/worker';
import { queryRows } from '../db/rows';
import { rowFromJson } from '../db/json-row';
import type { ComplaintFields, HandoverReason } from './ports';
import { handoverNote, type TranscriptLine } from './transcript';
import {
  conversationStateKey,
  customerName,
  oneMessage,
  takeTurn,
  type TurnKit,
  type TurnSubject,
} from './turn-kit';

const MAX_ETAG_RETRIES = 5;

/** The conversation as the turn finds it before its transaction. */
interface Before extends TurnSubject {
  status: ConversationRow['status'];
}

/** Who takes the turn's job: the worker (holding its lease), or this process (by its key). */
type Claim = { job: JobContext } | { key: string };

/**
 * Runs the bot on conversations in status `bot`: each customer message is a turn (one at a time
 * per conversation in this process; an eTag conflict with another instance's turn retries it).
 * The process that ingested the message takes the turn at once, outside a transaction, and
 * commits its outcome in one statement (FastTurns); a turn that opens a complaint or hands over,
 * or whose state changed meanwhile, runs again in one transaction that locks the conversation.
 * The turn's job, written with the message, is the safety net: the worker takes it only when
 * the ingesting process could not. A handover opens the conversation to people with the
 * transcript and the fields collected, in the same transaction as the turn's state.
 */
export class BotService {
  private readonly adapter = new SwitchboardAdapter();
  private readonly queue = new KeyedQueue();
  private readonly fast: FastTurns;
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly conversationRepo: ConversationRepository,
    private readonly messageService: MessageService,
    private readonly complaints: ComplaintService,
    private readonly kit: TurnKit,
    private readonly jobs: JobQueue,
    private readonly durable: DurableEvents,
    atCommit: AtCommitDelivery,
    private readonly clock: Clock,
    private readonly logger: Logger,
    opts: { maxAttempts: number },
  ) {
    this.fast = new FastTurns(db, uow, kit, conversationRepo, durable, atCommit, opts);
  }

  register(): void {
    this.durable.on('message.received', 'bot', (e, ctx) =>
      this.onMessage(e.conversationId, e.messageId, ctx),
    );
  }

  /**
   * A customer's message this process just ingested into a bot conversation: the turn, now.
   * When it cannot finish, its job is made due for the worker (with retries).
   */
  async onIngested(due: EventMap['bot.turn']): Promise<void> {
    const { conversation, message, bot } = due;
    await this.queue.run(conversation.id, async () => {
      const outcome = await this.fast.run(due).catch((err: unknown) => {
        this.logger.warn(
          { err, conversationId: conversation.id },
          'bot: quick turn failed, taking it in a transaction',
        );
        return 'slow' as const;
      });
      if (outcome === 'done') return;
      await this.withRetries(conversation.id, message.id, { key: bot.job_key }).catch(
        async (err: unknown) => {
          this.logger.error(
            { err, conversationId: conversation.id, messageId: message.id },
            'bot turn failed: the worker takes it again',
          );
          await this.jobs.dueNow(EVENT_JOB, bot.job_key);
        },
      );
    });
  }

  /** One customer message, one turn: in order per conversation, retried on an eTag conflict. */
  async onMessage(conversationId: string, messageId: string, job: JobContext): Promise<void> {
    await this.queue.run(conversationId, () =>
      this.withRetries(conversationId, messageId, { job }),
    );
  }

  private async withRetries(conversationId: string, messageId: string, claim: Claim) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.turn(conversationId, messageId, claim);
      } catch (err) {
        if (!(err instanceof EtagConflictError) || attempt >= MAX_ETAG_RETRIES) throw err;
        this.logger.info({ conversationId, attempt }, 'bot: state changed meanwhile, turn again');
      }
    }
  }

  private async turn(conversationId: string, messageId: string, claim: Claim): Promise<void> {
    // What the caches need, read before the transaction (PGlite has one connection).
    const [before] = await queryRows<Before>(
      this.db,
      sql`select c.status, c.inbox_id as "inboxId", c.channel, c.priority, c.level,
                 ct.tier, i.business_hours_id as "businessHoursId"
            from conversations c join contacts ct on ct.id = c.contact_id
            join inboxes i on i.id = c.inbox_id
           where c.id = ${conversationId}::uuid`,
    );
    if (before?.status !== 'bot') {
      if ('key' in claim) await this.jobs.takeKeyed(this.db, EVENT_JOB, claim.key);
      return;
    }
    const prepared = await this.kit.prepare(before);
    await this.uow.run(async (tx, emit, publish) => {
      // botbuilder's ConversationState keeps the dialog under this key (read with the lock).
      const stateKey = conversationStateKey(before.channel, conversationId);
      const locked = await this.lockTurn(tx, conversationId, messageId, stateKey);
      if (!locked) return;
      // The job is done exactly when the turn commits (a retried job finds it done); a job
      // someone else holds is theirs to finish.
      if ('job' in claim) await claim.job.complete(tx);
      else if (!(await this.jobs.takeKeyed(tx, EVENT_JOB, claim.key))) return;
      const { conv, message, botEnabled, contact, state } = locked;
      if (conv.status !== 'bot') return;
      if (!message || message.senderType !== 'contact') return;
      if (!botEnabled) {
        // The bot was switched off for this inbox: whoever waits on it goes to people.
        await this.openToPeople(tx, emit, publish, conv, 'bot switched off', undefined);
        return;
      }
      let handover: { reason: HandoverReason; fields: ComplaintFields | undefined } | undefined;
      const ports = this.kit.ports(tx, conv.contactId, prepared, {
        rememberLanguage: async (l) => {
          await tx
            .update(contacts)
            .set({ language: l, updatedAt: new Date() })
            .where(eq(contacts.id, conv.contactId));
        },
        openComplaint: async (fields) => {
          const complaint = await this.complaints.openIn(
            tx,
            emit,
            publish,
            conv,
            {
              category: fields.category,
              description: fields.order
                ? `${fields.description}\n\nOrder: ${fields.order}`
                : fields.description,
              desiredOutcome: fields.desiredOutcome,
            },
            { type: 'bot' },
          );
          return {
            reference: complaint.reference,
            dueAt: prepared.complaintDue(this.clock.now()),
          };
        },
        handover: async (reason, fields) => {
          handover = { reason, fields };
        },
      });
      // The turn's state through its transaction, the document read with the lock served first.
      const bot = new SwitchboardBot(new ConversationState(new DbStorage(tx, state)));
      const replies = await takeTurn(this.adapter, bot, {
        conv,
        message,
        customer: contact,
        ports,
      });
      await this.post(tx, emit, publish, conv, replies);
      if (handover)
        await this.openToPeople(tx, emit, publish, conv, handover.reason, handover.fields);
    });
  }

  private async post(
    tx: Tx,
    emit: Emit,
    publish: Publish,
    conv: ConversationRow,
    replies: BotReply[],
  ): Promise<void> {
    if (!replies.length) return;
    await this.messageService.post(tx, emit, publish, conv, {
      sender: { type: 'bot' },
      ...oneMessage(replies),
    });
  }

  /**
   * In the turn's transaction, one round trip: the conversation locked (turns of one
   * conversation never overlap, even across instances), the customer's message, whether the
   * inbox's bot is still on, and the customer's name when they told one (a visitor's id is not
   * a name) and language.
   */
  private async lockTurn(tx: Tx, conversationId: string, messageId: string, stateKey: string) {
    const [row] = await queryRows<{
      conv: Record<string, unknown>;
      bot_enabled: boolean;
      name: string | null;
      language: BotLanguage | null;
      identities: { kind: IdentityKind; value: string }[];
      message: { id: string; sender_type: string; text: string; created_at: string } | null;
      state: StoredDoc | null;
    }>(
      tx,
      sql`select to_jsonb(c) as conv, i.bot_enabled, ct.name, ct.language,
                 coalesce((select jsonb_agg(jsonb_build_object('kind', ci.kind, 'value', ci.value))
                             from contact_identities ci where ci.contact_id = c.contact_id),
                          '[]'::jsonb) as identities,
                 (select jsonb_build_object('id', m.id, 'sender_type', m.sender_type,
                                            'text', m.text, 'created_at', m.created_at)
                    from messages m where m.id = ${messageId}::uuid) as message,
                 (select jsonb_build_object('doc', b.doc, 'etag', b.etag) from bot_state b
                   where b.key = ${stateKey})
                   as state
            from conversations c join inboxes i on i.id = c.inbox_id
            join contacts ct on ct.id = c.contact_id
           where c.id = ${conversationId}::uuid
             for update of c`,
    );
    if (!row) return null;
    return {
      conv: rowFromJson(conversations, row.conv),
      botEnabled: row.bot_enabled,
      message: row.message && {
        id: row.message.id,
        senderType: row.message.sender_type,
        text: row.message.text,
        createdAt: new Date(row.message.created_at),
      },
      contact: { name: customerName(row.name, row.identities), language: row.language },
      state: new Map([[stateKey, row.state]]),
    };
  }

  /** Status bot → open (routing assigns), with a private note: why, what was collected, the transcript. */
  private async openToPeople(
    tx: Tx,
    emit: Emit,
    publish: Publish,
    conv: ConversationRow,
    reason: HandoverReason | 'bot switched off',
    fields: ComplaintFields | undefined,
  ): Promise<void> {
    await this.conversationRepo.update(tx, conv.id, { status: 'open' });
    const rows = await tx
      .select({
        senderType: messages.senderType,
        text: messages.text,
        createdAt: messages.createdAt,
      })
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, conv.id),
          eq(messages.private, false),
          ne(messages.text, ''),
        ),
      )
      .orderBy(desc(messages.createdAt))
      .limit(40);
    const transcript: TranscriptLine[] = rows.reverse().map((r) => ({
      from: r.senderType,
      text: r.text,
      at: r.createdAt.toISOString(),
    }));
    const note = handoverNote(reason, fields, transcript);
    const opened = { ...conv, status: 'open' as const };
    await this.messageService.post(tx, emit, publish, opened, {
      sender: { type: 'bot' },
      private: true,
      text: note,
      meta: { botHandover: { reason, fields: fields ?? null, transcript } },
    });
    await audit(tx, { type: 'bot' }, 'conversation', conv.id, 'handover', { reason });
    const dto = (await this.conversationRepo.dto(conv.id, tx))!;
    emit('conversation.updated', { conversation: dto, changes: ['status'] });
    await publish('conversation.updated', {
      conversationId: conv.id,
      inboxId: conv.inboxId,
      changes: { status: { from: 'bot', to: 'open' } },
      actor: { type: 'bot' },
    });
  }
}
