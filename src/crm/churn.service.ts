import { sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import { contactScopeCondition } from '../contacts/contact.repository';

export type ChurnReason = 'low_probability_alive' | 'open_complaint' | 'bad_csat' | 'gone_quiet';

export interface ChurnRiskRow {
  contactId: string;
  name: string;
  tier: string | null;
  segment: string;
  predictedValue: string;
  probabilityAlive: number;
  daysSinceLast: number | null;
  /** Their own rhythm: mean days between purchase days. */
  usualGapDays: number | null;
  reasons: ChurnReason[];
  /** The conversation to open: the latest one (null: start one on `preferredChannel`). */
  conversationId: string | null;
  preferredChannel: string | null;
}

/** Below this P(alive) a valuable customer is probably leaving. */
export const LOW_ALIVE = 0.5;
/** A customer is quiet when the time since their last purchase passes this many usual gaps. */
export const QUIET_FACTOR = 2;

/**
 * Valuable customers (highest predicted value first) showing a sign of leaving: a low P(alive),
 * an open complaint, a bad rating (1–2) in the last 90 days, or a silence longer than twice their
 * own usual gap between purchases. Each row says which.
 */
export class ChurnService {
  constructor(
    private readonly db: Executor,
    private readonly access: AccessService,
  ) {}

  async list(principal: Principal, limit: number): Promise<ChurnRiskRow[]> {
    const scope = await this.access.inboxScope(principal);
    const visible = contactScopeCondition(scope);
    const rows = await queryRows<{
      contact_id: string;
      name: string;
      tier: string | null;
      segment: string;
      predicted_value: string;
      probability_alive: number;
      days_since_last: number | null;
      usual_gap: number | null;
      open_complaint: boolean;
      bad_csat: boolean;
      conversation_id: string | null;
      preferred_channel: string | null;
    }>(
      this.db,
      sql`select * from (
            select v.contact_id, contacts.name, contacts.tier, v.segment, v.predicted_value::text,
                   v.probability_alive, v.days_since_last,
                   case when v.frequency > 0 then v.recency_days::float8 / v.frequency end as usual_gap,
                   exists (select 1 from complaints c where c.contact_id = v.contact_id
                            and c.status in ('open', 'reopened')) as open_complaint,
                   exists (select 1 from conversations cv where cv.contact_id = v.contact_id
                            and cv.csat between 1 and 2
                            and cv.updated_at > now() - interval '90 days') as bad_csat,
                   (select cv.id from conversations cv where cv.contact_id = v.contact_id
                     order by cv.last_message_at desc nulls last limit 1) as conversation_id,
                   contacts.preferred_channel::text as preferred_channel
              from contact_values v join contacts on contacts.id = v.contact_id
             where contacts.merged_into_id is null ${visible ? sql`and ${visible}` : sql``}
          ) x
          where x.probability_alive < ${LOW_ALIVE} or x.open_complaint or x.bad_csat
             or (x.usual_gap is not null and x.days_since_last > ${QUIET_FACTOR} * greatest(x.usual_gap, 1))
          order by x.predicted_value::numeric desc, x.contact_id
          limit ${limit}`,
    );
    return rows.map((r) => {
      const reasons: ChurnReason[] = [];
      if (r.probability_alive < LOW_ALIVE) reasons.push('low_probability_alive');
      if (r.open_complaint) reasons.push('open_complaint');
      if (r.bad_csat) reasons.push('bad_csat');
      if (
        r.usual_gap !== null &&
        r.days_since_last !== null &&
        r.days_since_last > QUIET_FACTOR * Math.max(r.usual_gap, 1)
      )
        reasons.push('gone_quiet');
      return {
        contactId: r.contact_id,
        name: r.name,
        tier: r.tier,
        segment: r.segment,
        predictedValue: r.predicted_value,
        probabilityAlive: r.probability_alive,
        daysSinceLast: r.days_since_last,
        usualGapDays: r.usual_gap,
        reasons,
        conversationId: r.conversation_id,
        preferredChannel: r.preferred_channel,
      };
    });
  }
}
