import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';
import type { Principal } from '../auth/auth.service';
import type { AccessService } from '../auth/access.service';
import { ALWAYS, businessSecondsBetween, type Calendar } from '../business-hours/calendar';
import { messageVolume } from './report-volume';

export interface ReportFilter {
  from: Date;
  to: Date;
  inboxId?: string | undefined;
  teamId?: string | undefined;
  assigneeId?: string | undefined;
  /** IANA zone the hour-of-day buckets are in (default UTC). */
  timeZone: string;
}

export interface Percentiles {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface SummaryReport {
  from: string;
  to: string;
  timeZone: string;
  conversations: {
    total: number;
    byChannel: {
      channel: string;
      conversations: number;
      messagesIn: number;
      messagesOut: number;
    }[];
    byHour: { hour: number; messagesIn: number }[];
  };
  /** Seconds, counted in the business hours given (always open when none). */
  firstResponse: Percentiles;
  resolution: Percentiles;
  sla: { withPolicy: number; breached: number; compliance: number | null };
  complaints: {
    total: number;
    byLevel: { level: number; total: number; resolved: number }[];
    climbed: number;
    topCategories: { category: string; count: number }[];
  };
  csat: { count: number; average: number | null; distribution: { score: number; count: number }[] };
  customers: {
    bySegment: {
      segment: string;
      contacts: number;
      predictedValue: string;
      historicValue: string;
    }[];
    byTier: { tier: string; contacts: number }[];
  };
  /**
   * Expected purchases over the fit's horizon, summed over contacts, with a 95% interval that
   * treats each contact's count as Poisson (a normal approximation of the sum).
   */
  forecast: {
    horizonDays: number | null;
    expectedPurchases: number;
    low: number;
    high: number;
    predictedValue: string;
  } | null;
}

/** `p` quantile by linear interpolation (percentile_cont's definition), null when empty. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * The summary report: every count, sum and percentile is SQL over indexed columns. With a
 * business-hours calendar the response and resolution times leave the database as (start, end)
 * pairs, because business hours (holidays, split days, time zones) are measured by the same
 * calendar code the SLA clocks use.
 */
export class ReportService {
  constructor(
    private readonly db: Executor,
    private readonly access: AccessService,
  ) {}

  async summary(
    principal: Principal,
    f: ReportFilter,
    calendar: Calendar = ALWAYS,
  ): Promise<SummaryReport> {
    const scope = await this.access.inboxScope(principal);
    const conds: SQL[] = [
      sql`cv.created_at >= ${f.from.toISOString()}::timestamptz`,
      sql`cv.created_at < ${f.to.toISOString()}::timestamptz`,
    ];
    if (scope !== 'all')
      conds.push(
        scope.length
          ? sql`cv.inbox_id in (${sql.join(
              scope.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`
          : sql`false`,
      );
    if (f.inboxId) conds.push(sql`cv.inbox_id = ${f.inboxId}::uuid`);
    if (f.teamId) conds.push(sql`cv.team_id = ${f.teamId}::uuid`);
    if (f.assigneeId) conds.push(sql`cv.assignee_id = ${f.assigneeId}::uuid`);
    const where = sql.join(conds, sql` and `);
    // Messages are counted by their own time, in conversations the filter keeps (any age).
    const inboxIds =
      scope === 'all'
        ? f.inboxId
          ? [f.inboxId]
          : null
        : f.inboxId
          ? scope.filter((id) => id === f.inboxId)
          : scope;
    const personConds: SQL[] = [];
    if (f.teamId) personConds.push(sql`cv.team_id = ${f.teamId}::uuid`);
    if (f.assigneeId) personConds.push(sql`cv.assignee_id = ${f.assigneeId}::uuid`);
    const convOnly = conds.slice(2);

    const [cells, messageCells, times, wallClock, levels, categories, segments, tiers, forecast] =
      await Promise.all([
        // One pass over the window's conversations: per channel and score, with the SLA counts.
        queryRows<{
          channel: string;
          score: number | null;
          n: number;
          with_policy: number;
          breached: number;
        }>(
          this.db,
          sql`select cv.channel::text as channel, cv.csat as score, count(*)::int as n,
                   count(*) filter (where cv.sla_policy_id is not null)::int as with_policy,
                   count(*) filter (where cv.sla_policy_id is not null and cv.sla_state = 'breached')::int as breached
              from conversations cv where ${where} group by 1, 2`,
        ),
        messageVolume(this.db, f, inboxIds, personConds),
        calendar === ALWAYS
          ? Promise.resolve(null)
          : queryRows<{
              created_at: string | Date;
              first_reply_at: string | Date | null;
              resolved_at: string | Date | null;
            }>(
              this.db,
              sql`select cv.created_at, cv.first_reply_at,
                       case when cv.status = 'resolved' then cv.resolved_at end as resolved_at
                  from conversations cv
                 where ${where} and (cv.first_reply_at is not null or (cv.status = 'resolved' and cv.resolved_at is not null))`,
            ),
        // Always open: wall-clock seconds, and percentile_cont does it in the database (one sort
        // per measure gives both fractions).
        calendar === ALWAYS
          ? queryRows<{
              fr_n: number;
              fr_med: number | null;
              fr_p90: number | null;
              rs_n: number;
              rs_med: number | null;
              rs_p90: number | null;
            }>(
              this.db,
              sql`select fr_n, fr[1] as fr_med, fr[2] as fr_p90, rs_n, rs[1] as rs_med, rs[2] as rs_p90
                  from (select count(cv.first_reply_at)::int as fr_n,
                               percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from cv.first_reply_at - cv.created_at))::float8[] as fr,
                               count(cv.resolved_at) filter (where cv.status = 'resolved')::int as rs_n,
                               percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from cv.resolved_at - cv.created_at)) filter (where cv.status = 'resolved')::float8[] as rs
                          from conversations cv where ${where}) x`,
            )
          : Promise.resolve(null),
        queryRows<{ level: number; total: number; resolved: number }>(
          this.db,
          sql`select c.level, count(*)::int as total, count(*) filter (where c.status = 'resolved')::int as resolved
                from complaints c join conversations cv on cv.id = c.conversation_id
               where ${sql.join([sql`c.created_at >= ${f.from.toISOString()}::timestamptz`, sql`c.created_at < ${f.to.toISOString()}::timestamptz`, ...convOnly], sql` and `)}
               group by 1 order by 1`,
        ),
        queryRows<{ category: string; n: number }>(
          this.db,
          sql`select coalesce(c.category, 'uncategorised') as category, count(*)::int as n
                from complaints c join conversations cv on cv.id = c.conversation_id
               where ${sql.join([sql`c.created_at >= ${f.from.toISOString()}::timestamptz`, sql`c.created_at < ${f.to.toISOString()}::timestamptz`, ...convOnly], sql` and `)}
               group by 1 order by 2 desc, 1 limit 10`,
        ),
        queryRows<{ segment: string; n: number; predicted: string; historic: string }>(
          this.db,
          sql`select v.segment, count(*)::int as n, sum(v.predicted_value)::text as predicted, sum(v.historic_value)::text as historic
                from contact_values v group by 1 order by 1`,
        ),
        queryRows<{ tier: string; n: number }>(
          this.db,
          sql`select coalesce(tier, 'none') as tier, count(*)::int as n from contacts where merged_into_id is null and lifetime_value is not null group by 1 order by 1`,
        ),
        queryRows<{ horizon: number | null; expected: number | null; predicted: string | null }>(
          this.db,
          sql`select max(horizon_days)::int as horizon, sum(expected_purchases)::float8 as expected, coalesce(sum(predicted_value), 0)::text as predicted from contact_values`,
        ),
      ]);

    const stats = (values: number[]): Percentiles => {
      values.sort((p, q) => p - q);
      return {
        count: values.length,
        median: percentile(values, 0.5),
        p90: percentile(values, 0.9),
      };
    };
    let firstResponse: Percentiles;
    let resolution: Percentiles;
    if (times === null) {
      const t = wallClock?.[0];
      firstResponse = { count: t?.fr_n ?? 0, median: t?.fr_med ?? null, p90: t?.fr_p90 ?? null };
      resolution = { count: t?.rs_n ?? 0, median: t?.rs_med ?? null, p90: t?.rs_p90 ?? null };
    } else {
      const fr: number[] = [];
      const rs: number[] = [];
      for (const t of times) {
        const created = new Date(t.created_at);
        if (t.first_reply_at)
          fr.push(businessSecondsBetween(calendar, created, new Date(t.first_reply_at)));
        if (t.resolved_at)
          rs.push(businessSecondsBetween(calendar, created, new Date(t.resolved_at)));
      }
      firstResponse = stats(fr);
      resolution = stats(rs);
    }
    const byMessages = new Map<string, { inn: number; out: number }>();
    const byHour = new Map<number, number>();
    for (const cell of messageCells) {
      const sum = byMessages.get(cell.channel) ?? { inn: 0, out: 0 };
      sum.inn += cell.inn;
      sum.out += cell.out;
      byMessages.set(cell.channel, sum);
      if (cell.inn) byHour.set(cell.hour, (byHour.get(cell.hour) ?? 0) + cell.inn);
    }
    const channels = new Map<string, number>();
    const scores = new Map<number, number>();
    const slaRow = { with_policy: 0, breached: 0 };
    for (const c of cells) {
      channels.set(c.channel, (channels.get(c.channel) ?? 0) + c.n);
      if (c.score !== null) scores.set(c.score, (scores.get(c.score) ?? 0) + c.n);
      slaRow.with_policy += c.with_policy;
      slaRow.breached += c.breached;
    }
    const csat = [...scores.entries()]
      .sort((p, q) => p[0] - q[0])
      .map(([score, n]) => ({ score, n }));
    const allChannels = new Set([...channels.keys(), ...byMessages.keys()]);
    const csatCount = csat.reduce((s, c) => s + c.n, 0);
    const f0 = forecast[0];
    const expected = f0?.expected ?? 0;
    return {
      from: f.from.toISOString(),
      to: f.to.toISOString(),
      timeZone: f.timeZone,
      conversations: {
        total: [...channels.values()].reduce((s, n) => s + n, 0),
        byChannel: [...allChannels].sort().map((channel) => ({
          channel,
          conversations: channels.get(channel) ?? 0,
          messagesIn: byMessages.get(channel)?.inn ?? 0,
          messagesOut: byMessages.get(channel)?.out ?? 0,
        })),
        byHour: [...byHour.entries()]
          .sort((p, q) => p[0] - q[0])
          .map(([hour, n]) => ({ hour, messagesIn: n })),
      },
      firstResponse: firstResponse,
      resolution: resolution,
      sla: {
        withPolicy: slaRow.with_policy,
        breached: slaRow.breached,
        compliance: slaRow.with_policy
          ? (slaRow.with_policy - slaRow.breached) / slaRow.with_policy
          : null,
      },
      complaints: {
        total: levels.reduce((s, l) => s + l.total, 0),
        byLevel: levels,
        climbed: levels.filter((l) => l.level > 1).reduce((s, l) => s + l.total, 0),
        topCategories: categories.map((c) => ({ category: c.category, count: c.n })),
      },
      csat: {
        count: csatCount,
        average: csatCount ? csat.reduce((s, c) => s + c.score * c.n, 0) / csatCount : null,
        distribution: csat.map((c) => ({ score: c.score, count: c.n })),
      },
      customers: {
        bySegment: segments.map((s) => ({
          segment: s.segment,
          contacts: s.n,
          predictedValue: s.predicted,
          historicValue: s.historic,
        })),
        byTier: tiers.map((t) => ({ tier: t.tier, contacts: t.n })),
      },
      forecast: f0?.horizon
        ? {
            horizonDays: f0.horizon,
            expectedPurchases: expected,
            low: Math.max(0, expected - 1.96 * Math.sqrt(expected)),
            high: expected + 1.96 * Math.sqrt(expected),
            predictedValue: f0.predicted ?? '0',
          }
        : null,
    };
  }
}
