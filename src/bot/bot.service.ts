import { ConversationState } from 'botbuilder-core';
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm';
import { identityKindInfo } from '../../channels/identities';
import type { Db, Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import {
  complaintCategories,
  contactIdentities,
  contacts,
  inboxes,
  messages,
  orders,
  type BotLanguage,
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
import { DbStorage, EtagConflictError } from './db-storage';
import { KeyedQueue } from './keyed-queue';
import { Snapshot } from '../jobs/snapshot';
import {
  setPorts,
  type BotPorts,
  type ComplaintFields,
  type HandoverReason,
  type OpeningHours,
} from './ports';
import { handoverNote, type TranscriptLine } from './transcript';

const MAX_ETAG_RETRIES = 5;
/**
 * How stale this instance's "is any inbox's bot on" may be: an inbox switched on at another
 * instance is served here within this long (at this instance at once, on `inbox.changed`).
 */
const ACTIVE_REFRESH_MS = 5_000;

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
  /** Whether any inbox has the bot on. */
  private readonly botInboxes = new Snapshot(
    async () =>
      (
        await this.db
          .select({ id: inboxes.id })
          .from(inboxes)
          .where(eq(inboxes.botEnabled, true))
          .limit(1)
      ).length > 0,
    {
      maxAgeMs: ACTIVE_REFRESH_MS,
      onError: (err) => this.logger.warn({ err }, 'bot: could not read inboxes'),
    },
  );

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
    durable.on('message.received', 'bot', (e) => this.onMessage(e.conversationId, e.messageId), {
      active: () => this.active(),
    });
  }

  /** Whether any inbox has the bot on (from memory; refreshed in the background). */
  private active(): boolean {
    return this.botInboxes.current() ?? true;
  }

  refresh(): Promise<void> {
    return this.botInboxes.refresh();
  }

  /** One customer message, one turn: in order per conversation, retried on an eTag conflict. */
  async onMessage(conversationId: string, messageId: string): Promise<void> {
    await this.queue.run(conversationId, async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.turn(conversationId, messageId);
        } catch (err) {
          if (!(err instanceof EtagConflictError) || attempt >= MAX_ETAG_RETRIES) throw err;
          this.logger.info({ conversationId, attempt }, 'bot: state changed meanwhile, turn again');
        }
      }
    });
  }

  private async prepare(conv: ConversationRow, tier: string | null): Promise<Prepared> {
    const [inbox] = await this.db
      .select({ businessHoursId: inboxes.businessHoursId })
      .from(inboxes)
      .where(eq(inboxes.id, conv.inboxId));
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
      inboxCalendar: await this.hours.calendar(inbox?.businessHoursId),
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

  private async turn(conversationId: string, messageId: string): Promise<void> {
    const before = await this.conversationRepo.findRow(conversationId);
    if (before?.status !== 'bot') return;
    const [customer] = await this.db
      .select({ tier: contacts.tier })
      .from(contacts)
      .where(eq(contacts.id, before.contactId));
    const prepared = await this.prepare(before, customer?.tier ?? null);
    await this.uow.run(async (tx, emit, publish) => {
      const conv = await this.conversationRepo.lock(tx, conversationId);
      if (conv?.status !== 'bot') return;
      const [message] = await tx.select().from(messages).where(eq(messages.id, messageId));
      if (!message || message.senderType !== 'contact') return;
      const [inbox] = await tx
        .select({ botEnabled: inboxes.botEnabled })
        .from(inboxes)
        .where(eq(inboxes.id, conv.inboxId));
      if (!inbox?.botEnabled) {
        // The bot was switched off for this inbox: whoever waits on it goes to people.
        await this.openToPeople(tx, emit, publish, conv, 'bot switched off', undefined);
        return;
      }
      const contact = await this.customerOf(tx, conv);
      const ports = this.portsFor(tx, emit, publish, conv, prepared);
      const replies = await this.storage.within(tx, () =>
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

  /** The customer's name when they told one (a visitor's id is not a name), and language. */
  private async customerOf(tx: Tx, conv: ConversationRow) {
    const [row] = await tx
      .select({ name: contacts.name, language: contacts.language })
      .from(contacts)
      .where(eq(contacts.id, conv.contactId));
    const identities = await tx
      .select({ kind: contactIdentities.kind, value: contactIdentities.value })
      .from(contactIdentities)
      .where(eq(contactIdentities.contactId, conv.contactId));
    const name = row?.name.trim() ?? '';
    // A name made up from an identity ("Visitor 3F9A2B", a phone number) is not theirs.
    const madeUp = identities.some(
      (i) => i.value === name || identityKindInfo(i.kind).defaultName(i.value) === name,
    );
    const real = name && !madeUp ? name : '';
    return { name: real, language: row?.language ?? null };
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
