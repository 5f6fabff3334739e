import { and, asc, eq, sql } from 'drizzle-orm';
import { identityKindInfo } from '../../channels/identities';
import type { Executor } from '../db/client';
import {
  complaintCategories,
  orders,
  type BotLanguage,
  type ConversationRow,
  type IdentityKind,
} from '../db/schema';
import type { SlaService } from '../sla/sla.service';
import type { BusinessHoursService } from '../business-hours/business-hours.service';
import { addBusinessSeconds, isOpen, nextOpening, type Calendar } from '../business-hours/calendar';
import { budgetFor, selectPolicy } from '../sla/sla-clock';
import type { Clock } from '../clock';
import type { BotContentService } from './bot-content.service';
import { setPorts, type BotPorts, type OpeningHours } from './ports';
import type { SwitchboardAdapter, BotReply } from './adapter';
import type { SwitchboardBot } from './bot';
import type { MessageButton } from '../conversations/dto';

/** botbuilder's ConversationState key of a conversation (migration 0019 builds the same). */
export function conversationStateKey(channel: string, conversationId: string): string {
  return `${channel}/conversations/${conversationId}/`;
}

/** The customer's name when they told one: a name made from an identity is not theirs. */
export function customerName(
  name: string | null,
  identities: { kind: string; value: string }[],
): string {
  const trimmed = name?.trim() ?? '';
  const madeUp = identities.some(
    (i) =>
      i.value === trimmed ||
      identityKindInfo(i.kind as IdentityKind).defaultName(i.value) === trimmed,
  );
  return trimmed && !madeUp ? trimmed : '';
}

/** One turn: the customer's message as an Activity through the bot; what the bot said. */
export function takeTurn(
  adapter: SwitchboardAdapter,
  bot: SwitchboardBot,
  turn: {
    conv: Pick<ConversationRow, 'id' | 'channel' | 'contactId'>;
    message: { id: string; text: string; createdAt: Date };
    customer: { name: string; language: string | null };
    ports: BotPorts;
  },
): Promise<BotReply[]> {
  const { conv, message, customer } = turn;
  return adapter.processActivity(
    {
      type: 'message',
      id: message.id,
      text: message.text,
      channelId: conv.channel,
      conversation: { id: conv.id, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: conv.contactId, name: customer.name },
      recipient: { id: 'switchboard', name: 'Switchboard' },
      timestamp: message.createdAt,
    },
    async (context) => {
      setPorts(context, turn.ports);
      await bot.run(context, { profileLanguage: customer.language, hint: null });
    },
  );
}

/**
 * A turn's replies as one message: deliveries of a conversation's messages are not ordered
 * among themselves (a greeting could arrive after its menu), and one message costs half of two.
 */
export function oneMessage(replies: BotReply[]): { text: string; buttons?: MessageButton[] } {
  const buttons = replies.findLast((r) => r.buttons?.length)?.buttons;
  const text = replies
    .map((r) => r.text.trim())
    .filter(Boolean)
    .join('\n\n');
  return buttons ? { text, buttons } : { text };
}

/** The conversation as a turn needs it to pick its SLA and calendar. */
export interface TurnSubject {
  inboxId: string;
  channel: ConversationRow['channel'];
  priority: ConversationRow['priority'];
  level: number;
  tier: string | null;
  businessHoursId: string | null;
}

/** What a turn reads before it runs (from caches, mostly): texts, calendars, the complaint SLA. */
export interface Prepared {
  texts: Map<BotLanguage, Awaited<ReturnType<BotContentService['texts']>>>;
  inboxCalendar: Calendar;
  /** When a person is due to answer a new level-1 complaint here, from the SLA policy. */
  complaintDue: (now: Date) => Date | null;
}

/** The ports that change things: inside a transaction, or held back by a turn outside one. */
export type WritePorts = Pick<BotPorts, 'rememberLanguage' | 'openComplaint' | 'handover'>;

/** What every turn of the bot is given, whichever way it runs. */
export class TurnKit {
  constructor(
    private readonly content: BotContentService,
    private readonly sla: SlaService,
    private readonly hours: BusinessHoursService,
    private readonly clock: Clock,
  ) {}

  async prepare(subject: TurnSubject): Promise<Prepared> {
    const policies = await this.sla.enabledPolicies();
    const policy = selectPolicy(policies, {
      tier: subject.tier,
      priority: subject.priority,
      inboxId: subject.inboxId,
      channel: subject.channel,
      level: Math.max(1, subject.level),
    });
    const budget = policy ? budgetFor(policy, 'firstResponse', Math.max(1, subject.level)) : null;
    const policyCalendar = await this.hours.calendar(policy?.businessHoursId);
    const texts = new Map(
      await Promise.all(
        (['en', 'fa', 'ru'] as const).map(async (l) => [l, await this.content.texts(l)] as const),
      ),
    );
    await this.content.kb();
    return {
      texts,
      inboxCalendar: await this.hours.calendar(subject.businessHoursId),
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

  /** The ports of one turn: reads through `db`, changes through `writes`. */
  ports(db: Executor, contactId: string, p: Prepared, writes: WritePorts): BotPorts {
    return {
      texts: async (l) => p.texts.get(l)!,
      answer: (l, q) => this.content.answer(l, q),
      findOrder: async (number) => {
        const [order] = await db
          .select()
          .from(orders)
          .where(
            and(
              eq(orders.contactId, contactId),
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
        const rows = await db
          .select()
          .from(complaintCategories)
          .where(eq(complaintCategories.active, true))
          .orderBy(asc(complaintCategories.position), asc(complaintCategories.key));
        return rows.map((r) => ({ key: r.key, name: r.names[l] || r.names.en || r.key }));
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
      ...writes,
    };
  }
}
