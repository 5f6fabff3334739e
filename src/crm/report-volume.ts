import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { queryRows } from '../db/rows';

/** Slots of the message_volume rollup (migration 0015): 15 minutes. */
export const SLOT_MS = 15 * 60_000;

export interface VolumeCell {
  channel: string;
  hour: number;
  inn: number;
  out: number;
}

/**
 * The slots wholly inside [from, to) and the ragged edges outside them: whole slots are read
 * from the rollup, the edges from the messages themselves. `slots` is null when no whole slot
 * fits (a window shorter than a slot, or one that crosses no slot boundary twice).
 */
export function splitWindow(
  from: Date,
  to: Date,
): { slots: { from: Date; to: Date } | null; edges: { from: Date; to: Date }[] } {
  const first = Math.ceil(from.getTime() / SLOT_MS) * SLOT_MS;
  const last = Math.floor(to.getTime() / SLOT_MS) * SLOT_MS;
  if (first >= last) return { slots: null, edges: [{ from, to }] };
  const edges: { from: Date; to: Date }[] = [];
  if (from.getTime() < first) edges.push({ from, to: new Date(first) });
  if (last < to.getTime()) edges.push({ from: new Date(last), to });
  return { slots: { from: new Date(first), to: new Date(last) }, edges };
}

const inRange = (column: SQL, r: { from: Date; to: Date }) =>
  sql`(${column} >= ${r.from.toISOString()}::timestamptz and ${column} < ${r.to.toISOString()}::timestamptz)`;

/**
 * Folds the deltas the triggers appended into message_volume, in one statement (so one
 * transaction): the deltas it deletes are the ones it adds, and a delta committed meanwhile
 * waits for the next fold. Two folds at once never count a delta twice: the second finds the
 * rows the first deleted gone. Returns how many deltas were folded.
 */
export async function foldMessageVolume(db: Executor): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with moved as (delete from message_volume_delta returning *),
             folded as (
               insert into message_volume as v (bucket, inbox_id, messages_in, messages_out)
               select bucket, inbox_id, sum(messages_in), sum(messages_out)
                 from moved group by 1, 2 order by 1, 2
               on conflict (bucket, inbox_id) do update
                 set messages_in = v.messages_in + excluded.messages_in,
                     messages_out = v.messages_out + excluded.messages_out
               returning 1)
        select (select count(*) from moved)::int as n`,
  );
  return row?.n ?? 0;
}

/**
 * Public messages in [from, to) by channel, local hour and direction. Kept to inboxes
 * (`inboxIds`, null for all), they come from the rollup (folded and not yet folded) plus the
 * edges' own messages. A team
 * or assignee condition belongs to the message's conversation as it is now, which the rollup
 * cannot know: then the messages are counted directly (over the created_at index).
 */
export async function messageVolume(
  db: Executor,
  w: { from: Date; to: Date; timeZone: string },
  inboxIds: readonly string[] | null,
  conversationConds: readonly SQL[],
): Promise<VolumeCell[]> {
  const inboxCond = (column: SQL): SQL =>
    inboxIds === null
      ? sql`true`
      : inboxIds.length
        ? sql`${column} in (${sql.join(
            inboxIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
        : sql`false`;
  const direct = (ranges: { from: Date; to: Date }[]): SQL => {
    const person = conversationConds.length
      ? sql` and exists (select 1 from conversations cv where cv.id = m.conversation_id and ${sql.join([...conversationConds], sql` and `)})`
      : sql``;
    return sql`select m.inbox_id, extract(hour from m.created_at at time zone ${w.timeZone})::int as hour,
                      count(*) filter (where m.direction = 'in')::int as inn,
                      count(*) filter (where m.direction = 'out')::int as out
                 from messages m
                where (${sql.join(
                  ranges.map((r) => inRange(sql`m.created_at`, r)),
                  sql` or `,
                )}) and not m.private and ${inboxCond(sql`m.inbox_id`)}${person}
                group by 1, 2`;
  };
  const split = conversationConds.length ? null : splitWindow(w.from, w.to);
  const parts: SQL[] = [];
  if (!split) parts.push(direct([{ from: w.from, to: w.to }]));
  else {
    if (split.slots)
      for (const table of [sql`message_volume`, sql`message_volume_delta`])
        parts.push(sql`select v.inbox_id, extract(hour from v.bucket at time zone ${w.timeZone})::int as hour,
                              sum(v.messages_in)::int as inn, sum(v.messages_out)::int as out
                         from ${table} v
                        where ${inRange(sql`v.bucket`, split.slots)} and ${inboxCond(sql`v.inbox_id`)}
                        group by 1, 2`);
    if (split.edges.length) parts.push(direct(split.edges));
  }
  return queryRows<VolumeCell>(
    db,
    sql`select i.channel::text as channel, x.hour, sum(x.inn)::int as inn, sum(x.out)::int as out
          from (${sql.join(parts, sql` union all `)}) x
          join inboxes i on i.id = x.inbox_id
         group by 1, 2`,
  );
}
