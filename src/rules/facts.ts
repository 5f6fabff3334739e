import { sql } from 'drizzle-orm';
import { rowFromJson } from '../db/json-row';
import { queryRows } from '../db/rows';
import type { Db } from '../db/client';
import {
  complaints,
  conversations,
  type ComplaintRow,
  type ConversationRow,
  type SlaTarget,
} from '../db/schema';
import type { Facts } from './engine';

export interface EventRefs {
  conversationId: string;
  messageId?: string | undefined;
  target?: SlaTarget | undefined;
  rating?: number | undefined;
}

export interface LoadedFacts {
  values: Facts;
  conversation: ConversationRow;
  /** The complaint the event is about: this conversation's, or the customer's open one. */
  complaint: ComplaintRow | null;
  contactLanguage: string | null;
}

const REPEAT_DAYS = 7;

/**
 * What rule conditions see of one event: the conversation, its customer, the complaint (this
 * conversation's, or the customer's open complaint from another channel when they come back
 * about it), the message, the SLA target, the rating. A handful of indexed reads.
 */
export async function loadFacts(db: Db, refs: EventRefs, now: Date): Promise<LoadedFacts | null> {
  const since = new Date(now.getTime() - REPEAT_DAYS * 86_400_000);
  // One round trip: every job of the ladder starts here, so its reads travel together.
  const [row] = await queryRows<{
    conv: Record<string, unknown>;
    contact: {
      tier: string | null;
      lifetime_value: string | number | null;
      language: string | null;
    } | null;
    own: Record<string, unknown> | null;
    message: {
      text: string;
      direction: 'in' | 'out';
      meta: Record<string, unknown>;
      created_at: string;
    } | null;
    recent: Record<string, unknown>[];
  }>(
    db,
    sql`select to_jsonb(c) as conv,
          (select jsonb_build_object('tier', ct.tier, 'lifetime_value', ct.lifetime_value,
                                     'language', ct.language)
             from contacts ct where ct.id = c.contact_id) as contact,
          (select to_jsonb(k) from complaints k where k.conversation_id = c.id limit 1) as own,
          (select jsonb_build_object('text', m.text, 'direction', m.direction, 'meta', m.meta,
                                     'created_at', m.created_at)
             from messages m where m.id = ${refs.messageId ?? null}::uuid) as message,
          coalesce((select jsonb_agg(to_jsonb(k) order by k.created_at desc) from complaints k
                     where k.contact_id = c.contact_id
                       and k.created_at >= ${since.toISOString()}::timestamptz), '[]'::jsonb) as recent
        from conversations c where c.id = ${refs.conversationId}::uuid`,
  );
  if (!row) return null;
  const conv = rowFromJson(conversations, row.conv);
  const contact = row.contact;
  const own = row.own ? rowFromJson(complaints, row.own) : undefined;
  const message = row.message
    ? { ...row.message, createdAt: new Date(row.message.created_at) }
    : undefined;
  const recent = row.recent.map((k) => rowFromJson(complaints, k));
  const openElsewhere = recent.find(
    (k) => k.conversationId !== conv.id && (k.status === 'open' || k.status === 'reopened'),
  );
  const complaint = own ?? (message?.direction === 'in' ? (openElsewhere ?? null) : null);

  // Back about it: after our reply in the complaint's own conversation (this message started a
  // new wait), or from another conversation (another channel) while it is open.
  const startedWait =
    message?.direction === 'in' &&
    conv.firstReplyAt !== null &&
    conv.waitingSince !== null &&
    Math.abs(conv.waitingSince.getTime() - message.createdAt.getTime()) < 1000;
  const repeatContact =
    !!complaint &&
    // The message that reopened a resolved complaint moved it up already (as "reopened").
    message?.meta['reopenedComplaint'] !== true &&
    (complaint.status === 'open' || complaint.status === 'reopened') &&
    complaint.createdAt >= since &&
    (own ? startedWait : conv.messageCount <= 1 || startedWait);

  const values: Facts = {
    'conversation.status': conv.status,
    'conversation.channel': conv.channel,
    'conversation.inboxId': conv.inboxId,
    'conversation.priority': conv.priority,
    'conversation.labels': conv.labels,
    'conversation.assigned': conv.assigneeId !== null,
    'contact.tier': contact?.tier ?? null,
    'contact.lifetimeValue':
      contact?.lifetime_value === null || contact?.lifetime_value === undefined
        ? null
        : Number(contact.lifetime_value),
    'contact.language': contact?.language ?? null,
    'contact.complaintConversations7d': new Set(recent.map((k) => k.conversationId)).size,
    'complaint.exists': complaint !== null,
    'complaint.level': complaint?.level ?? 0,
    'complaint.status': complaint?.status ?? null,
    'complaint.category': complaint?.category ?? null,
    'complaint.legalFlag': complaint?.legalFlag ?? false,
    'complaint.reopenCount': complaint?.reopenCount ?? 0,
    'complaint.repeatContact': repeatContact,
    ...(message
      ? {
          'message.text': message.text,
          'message.direction': message.direction,
          'message.autoReply': message.meta['autoReply'] === true,
        }
      : {}),
    ...(refs.target ? { 'sla.target': refs.target } : {}),
    ...(refs.rating !== undefined ? { 'csat.rating': refs.rating } : {}),
  };
  return { values, conversation: conv, complaint, contactLanguage: contact?.language ?? null };
}

/** Whether a rule acted on this conversation within the last `hours`. */
export async function ranWithin(
  db: Db,
  ruleId: string,
  conversationId: string,
  hours: number,
  now: Date,
): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`select 1 from rule_runs where rule_id = ${ruleId} and conversation_id = ${conversationId}
        and ran_at > ${new Date(now.getTime() - hours * 3_600_000).toISOString()}::timestamptz limit 1`,
  );
  return rows.length > 0;
}
