import { ConversationState } from 'botbuilder-core';
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { identityKindInfo } from '../../channels/identities';
import type { Db, Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  complaintCategories,
  contacts,
  conversations,
  messages,
  orders,
  type BotLanguage,
  type IdentityKind,
  type ConversationRow,
} from '../db/schema';
import type { Emit } from '../events/event-map';
import type { Publish } from '../events/domain-events';
import type { DurableEvents } from '../jobs/durable-events';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageService } from '../conversations/message.service';
import type { ComplaintService } from '../complaints/complaint.service';
import type { SlaService } from '../sla/sla.service';
import type { BusinessHoursService } from '../business-hours/business-hours.service';
import { addBusinessSeconds, isOpen, nextOpening, type Calendar } from '../business-hours/calendar';
import { budgetFor, selectPolicy } from '../sla/sla-clock';
import { audit } from '../audit/audit';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { SwitchboardAdapter, type BotReply } from './adapter';
import { SwitchboardBot } from './bot';
import type { BotContentService } from './bot-content.service';
import { DbStorage, EtagConflictError, type StoredDoc } from './db-storage';
import { KeyedQueue } from './keyed-queue';
import type { JobContext } from '../jobs/worker';
import { queryRows } from '../db/rows';
import { rowFromJson } from '../db/json-row';
import {
  setPorts,
  type BotPorts,
  type ComplaintFields,
  type HandoverReason,
  type OpeningHours,
} from './ports';
import { handoverNote, type TranscriptLine } from './transcript';

const MAX_ETAG_RETRIES = 5;

/** The conversation as the turn finds it before its transaction. */
interface Before {
  status: ConversationRow['status'];
  inboxId: string;
  channel: ConversationRow['channel'];
  priority: ConversationRow['priority'];
  level: number;
  tier: string | null;
  businessHoursId: string | null;
}

/** What a turn reads before its transaction: PGlite has one connection, and caches answer fast. */
interface Prepared {
  texts: Map<BotLanguage, Awaited<ReturnType<BotContentService['texts']>>>;
  inboxCalendar: Calendar;
  /** When a person is due to answer a new level-1 complaint here, from the SLA policy. */
  complaintDue: (now: Date) => Date | null;
}

/**
 * Runs the bot on conversations in status `bot`: each customer message is a turn (one at a time
 * per conversation; an eTag conflict with another instance's turn retries it), the bot's
 * replies become `bot` messages through the delivery queue, and a handover opens the
 * conversation to people with the transcript and the fields collected, in the same
 * transaction as the turn's state.
 */
export class BotService {
  private readonly storage: DbStorage;
  private readonly bot: SwitchboardBot;
  private readonly adapter = new SwitchboardAdapter();
  private readonly queue = new KeyedQueue();
  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly conversationRepo: ConversationRepository,
    private readonly messageService: MessageService,
    private readonly complaints: ComplaintService,
    private readonly sla: SlaService,
    private readonly hours: BusinessHoursService,
    private readonly content: BotContentService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.storage = new DbStorage(db);
    this.bot = new SwitchboardBot(new ConversationState(this.storage));
  }

  register(durable: DurableEvents): void {
    durable.on('message.received', 'bot', (e, ctx) =>
      this.onMessage(e.conversationId, e.messageId, ctx),
    );
  }

  /** One customer message, one turn: in order per conversation, retried on an eTag conflict. */
  async onMessage(conversationId: string, messageId: string, job?: JobContext): Promise<void> {
    await this.queue.run(conversationId, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.turn(conversationId, messageId, job);
        } catch (err) {
          if (!(err instanceof EtagConflictError) || attempt >= MAX_ETAG_RETRIES) throw err;
          this.logger.info({ conversationId, attempt }, 'bot: state changed meanwhile, turn again');
        }
      }
    });
  }

  private async prepare(conv: Before): Promise<Prepared> {
    const tier = conv.tier;
    const policies = await this.sla.enabledPolicies();
    const policy = selectPolicy(policies, {
      tier,
      priority: conv.priority,
      inboxId: conv.inboxId,
      channel: conv.channel,
      level: Math.max(1, conv.level),
    });
    const budget = policy ? budgetFor(policy, 'firstResponse', Math.max(1, conv.level)) : null;
    const policyCalendar = await this.hours.calendar(policy?.businessHoursId);
    const texts = new Map(
      await Promise.all(
        (['en', 'fa', 'ru'] as const).map(async (l) => [l, await this.content.texts(l)] as const),
      ),
    );
    await this.content.kb();
    return {
      texts,
      inboxCalendar: await this.hours.calendar(conv.businessHoursId),
      complaintDue: (now) => {
        if (budget === null) return null;
        try {
          return addBusinessSeconds(policyCalendar, now, budget);
        } catch {
          return null;
        }
      },
    };
  }

  private async turn(conversationId: string, messageId: string, job?: JobContext): Promise<void> {
    // What the caches need, read before the transaction (PGlite has one connection).
    const [before] = await queryRows<Before>(
      this.db,
      sql`select c.status, c.inbox_id as "inboxId", c.channel, c.priority, c.level,
                 ct.tier, i.business_hours_id as "businessHoursId"
            from conversations c join contacts ct on ct.id = c.contact_id
            join inboxes i on i.id = c.inbox_id
           where c.id = ${conversationId}::uuid`,
    );
    if (before?.status !== 'bot') return;
    const prepared = await this.prepare(before);
    await this.uow.run(async (tx, emit, publish) => {
      // botbuilder's ConversationState keeps the dialog under this key (read with the lock).
      const stateKey = `${before.channel}/conversations/${conversationId}/`;
      const locked = await this.lockTurn(tx, conversationId, messageId, stateKey);
      if (!locked) return;
      const { conv, message, botEnabled, contact, state } = locked;
      if (conv.status !== 'bot') return;
      if (!message || message.senderType !== 'contact') return;
      // The job is done exactly when the turn commits (a retried job finds it done).
      if (job) await job.complete(tx);
      if (!botEnabled) {
        // The bot was switched off for this inbox: whoever waits on it goes to people.
        await this.openToPeople(tx, emit, publish, conv, 'bot switched off', undefined);
        return;
      }
      const ports = this.portsFor(tx, emit, publish, conv, prepared);
      const replies = await this.storage.within(
        tx,
        () =>
          this.adapter.processActivity(
            {
              type: 'message',
              id: message.id,
              text: message.text,
              channelId: conv.channel,
              conversation: { id: conv.id, isGroup: false, conversationType: 'personal', name: '' },
              from: { id: conv.contactId, name: contact.name },
              recipient: { id: 'switchboard', name: 'Switchboard' },
              timestamp: message.createdAt,
            },
            async (context) => {
              setPorts(context, ports.ports);
              await this.bot.run(context, { profileLanguage: contact.language, hint: null });
            },
          ),
        state,
      );
      await this.post(tx, emit, publish, conv, replies);
      if (ports.handover)
        await this.openToPeople(
          tx,
          emit,
          publish,
          conv,
          ports.handover.reason,
          ports.handover.fields,
        );
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
    // One message per turn: deliveries of a conversation's messages are not ordered among
    // themselves (a greeting could arrive after its menu), and one message costs half of two.
    const buttons = replies.findLast((r) => r.buttons?.length)?.buttons;
    await this.messageService.post(tx, emit, publish, conv, {
      sender: { type: 'bot' },
      text: replies
        .map((r) => r.text.trim())
        .filter(Boolean)
        .join('\n\n'),
      buttons,
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
    const name = row.name?.trim() ?? '';
    // A name made up from an identity ("Visitor 3F9A2B", a phone number) is not theirs.
    const madeUp = row.identities.some(
      (i) => i.value === name || identityKindInfo(i.kind).defaultName(i.value) === name,
    );
    return {
      conv: rowFromJson(conversations, row.conv),
      botEnabled: row.bot_enabled,
      message: row.message && {
        id: row.message.id,
        senderType: row.message.sender_type,
        text: row.message.text,
        createdAt: new Date(row.message.created_at),
      },
      contact: { name: name && !madeUp ? name : '', language: row.language },
      state: new Map([[stateKey, row.state]]),
    };
  }

  private portsFor(tx: Tx, emit: Emit, publish: Publish, conv: ConversationRow, p: Prepared) {
    const state: {
      ports: BotPorts;
      handover?: { reason: HandoverReason; fields: ComplaintFields | undefined };
    } = {
      ports: {
        texts: async (l) => p.texts.get(l)!,
        answer: (l, q) => this.content.answer(l, q),
        findOrder: async (number) => {
          const [order] = await tx
            .select()
            .from(orders)
            .where(
              and(
                eq(orders.contactId, conv.contactId),
                sql`lower(${orders.externalId}) = lower(${number})`,
              ),
            )
            .limit(1);
          return order
            ? {
                externalId: order.externalId,
                amount: order.amount,
                currency: order.currency,
                orderedAt: order.orderedAt,
              }
            : null;
        },
        categories: async (l) => {
          const rows = await tx
            .select()
            .from(complaintCategories)
            .where(eq(complaintCategories.active, true))
            .orderBy(asc(complaintCategories.position), asc(complaintCategories.key));
          return rows.map((r) => ({ key: r.key, name: r.names[l] || r.names.en || r.key }));
        },
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
          return { reference: complaint.reference, dueAt: p.complaintDue(this.clock.now()) };
        },
        hours: async (): Promise<OpeningHours> => {
          const now = this.clock.now();
          const openNow = isOpen(p.inboxCalendar, now);
          return {
            openNow,
            opensAt: openNow ? null : nextOpening(p.inboxCalendar, now),
            timeZone: p.inboxCalendar.timeZone,
          };
        },
        handover: async (reason, fields) => {
          state.handover = { reason, fields };
        },
      },
    };
    return state;
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
