// The summary report's filters (team, inbox, agent, an agent's own inboxes) and its message
// volume rollup (migration 0015), checked against numbers computed here from the plan that
// made the rows: windows on and off the rollup's 15-minute slots, a 30-minute time zone, rows
// deleted, moved and made private, concurrent ingest, and folds of the deltas meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/rows';
import { foldMessageVolume } from '../../src/crm/report-volume';
import {
  createAgent,
  login,
  startTestServer,
  webchatInboxId,
  type Api,
  type TestServer,
} from '../helpers/server';
import type { SummaryReport as Summary } from '../../src/crm/report.service';

interface PlanConv {
  id: string;
  inbox: string;
  channel: string;
  team: string | null;
  assignee: string | null;
  created: number;
  reply: number | null;
  csat: number | null;
  breached: boolean;
}
interface PlanMsg {
  id: string;
  conv: PlanConv;
  at: number;
  direction: 'in' | 'out';
  private: boolean;
}

let app: TestServer;
let admin: Api;
let agent: Api & { id: string };
let webchat: string;
let smsInbox: string;
let teams: [string, string];
let agents: [string, string];
const convs: PlanConv[] = [];
let msgs: PlanMsg[] = [];

const MIN = 60_000;
const HOUR = 60 * MIN;
// A Monday in 2031: no other test writes there.
const BASE = Date.parse('2031-03-03T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const db = () => app.server.database.db;
async function one<T>(query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await queryRows<T>(db(), query);
  if (!row) throw new Error('no row');
  return row;
}

beforeAll(async () => {
  app = await startTestServer();
  admin = await login(app.url);
  webchat = await webchatInboxId(admin);
  smsInbox = (
    await one<{ id: string }>(
      sql`insert into inboxes (name, channel) values ('Report SMS', 'sms') returning id`,
    )
  ).id;
  const t1 = await admin.send<{ id: string }>('POST', '/api/v1/teams', { name: 'Report Billing' });
  const t2 = await admin.send<{ id: string }>('POST', '/api/v1/teams', { name: 'Report Sales' });
  teams = [t1.body.id, t2.body.id];
  agent = await createAgent(app.url, admin, 'ReportAgent', [smsInbox]);
  const other = await createAgent(app.url, admin, 'ReportOther', [webchat]);
  agents = [agent.id, other.id];
  const policy = await one<{ id: string }>(
    sql`insert into sla_policies (name) values ('report filters') returning id`,
  );

  // 24 conversations over two days at odd minutes, in both inboxes, teams and agents (or none).
  for (let i = 0; i < 24; i++) {
    const inbox = i % 2 ? smsInbox : webchat;
    const created = BASE + i * 2 * HOUR + ((i * 7) % 60) * MIN + i * 1000;
    const p = {
      inbox,
      channel: i % 2 ? 'sms' : 'webchat',
      team: [teams[0], teams[1], null][i % 3] ?? null,
      assignee: [agents[0], null, agents[1], agents[0]][i % 4] ?? null,
      created,
      reply: i % 5 === 4 ? null : created + (i + 1) * 37_000,
      csat: i % 3 === 1 ? 1 + (i % 5) : null,
      breached: i % 4 === 2,
    };
    const contact = await one<{ id: string }>(
      sql`insert into contacts (name) values (${`report ${i}`}) returning id`,
    );
    const row = await one<{ id: string }>(sql`
      insert into conversations (inbox_id, contact_id, channel, status, created_at, first_reply_at,
                                 csat, sla_policy_id, sla_state, team_id, assignee_id)
      values (${p.inbox}::uuid, ${contact.id}::uuid, ${p.channel}::channel_kind, 'open',
              ${iso(p.created)}::timestamptz, ${p.reply === null ? null : iso(p.reply)}::timestamptz,
              ${p.csat}, ${policy.id}::uuid, ${p.breached ? 'breached' : 'ok'},
              ${p.team}::uuid, ${p.assignee}::uuid)
      returning id`);
    const conv: PlanConv = { id: row.id, ...p };
    convs.push(conv);
    // 1–4 messages 11 minutes apart, alternating direction; every fifth one an internal note.
    for (let k = 0; k < 1 + (i % 4); k++) {
      const m: Omit<PlanMsg, 'id'> = {
        conv,
        at: created + k * 11 * MIN,
        direction: k % 2 ? 'out' : 'in',
        private: (i + k) % 5 === 0,
      };
      const msg = await one<{ id: string }>(sql`
        insert into messages (conversation_id, inbox_id, direction, sender_type, text, status, private, created_at)
        values (${conv.id}::uuid, ${conv.inbox}::uuid, ${m.direction}::direction,
                ${m.direction === 'in' ? 'contact' : 'user'}::sender_type, 'hello', 'sent',
                ${m.private}, ${iso(m.at)}::timestamptz)
        returning id`);
      msgs.push({ id: msg.id, ...m });
    }
  }
});
afterAll(async () => {
  await app?.stop();
});

interface Filter {
  teamId?: string;
  inboxId?: string;
  assigneeId?: string;
}

function expected(from: number, to: number, f: Filter, zoneOffsetMs = 0, scope?: string[]) {
  const keeps = (c: PlanConv) =>
    (!f.teamId || c.team === f.teamId) &&
    (!f.inboxId || c.inbox === f.inboxId) &&
    (!f.assigneeId || c.assignee === f.assigneeId) &&
    (!scope || scope.includes(c.inbox));
  const inWindow = convs.filter((c) => c.created >= from && c.created < to && keeps(c));
  const counted = msgs.filter((m) => m.at >= from && m.at < to && !m.private && keeps(m.conv));
  const channels = [...new Set([...inWindow, ...counted.map((m) => m.conv)].map((c) => c.channel))];
  const hours = new Map<number, number>();
  for (const m of counted.filter((x) => x.direction === 'in')) {
    const h = new Date(m.at + zoneOffsetMs).getUTCHours();
    hours.set(h, (hours.get(h) ?? 0) + 1);
  }
  const replies = inWindow
    .flatMap((c) => (c.reply === null ? [] : [(c.reply - c.created) / 1000]))
    .sort((a, b) => a - b);
  const q = (p: number) => {
    if (!replies.length) return null;
    const at = (replies.length - 1) * p;
    const lo = Math.floor(at);
    return replies[lo]! + (replies[Math.ceil(at)]! - replies[lo]!) * (at - lo);
  };
  const breached = inWindow.filter((c) => c.breached).length;
  const scores = inWindow.flatMap((c) => (c.csat === null ? [] : [c.csat]));
  return {
    total: inWindow.length,
    byChannel: channels.sort().map((channel) => ({
      channel,
      conversations: inWindow.filter((c) => c.channel === channel).length,
      messagesIn: counted.filter((m) => m.conv.channel === channel && m.direction === 'in').length,
      messagesOut: counted.filter((m) => m.conv.channel === channel && m.direction === 'out')
        .length,
    })),
    byHour: [...hours.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([hour, messagesIn]) => ({ hour, messagesIn })),
    firstResponse: { count: replies.length, median: q(0.5), p90: q(0.9) },
    sla: {
      withPolicy: inWindow.length,
      breached,
      compliance: inWindow.length ? (inWindow.length - breached) / inWindow.length : null,
    },
    csat: {
      count: scores.length,
      average: scores.length ? scores.reduce((s, x) => s + x, 0) / scores.length : null,
    },
  };
}

async function summary(api: Api, from: number, to: number, extra: Record<string, string> = {}) {
  const q = new URLSearchParams({ from: iso(from), to: iso(to), ...extra });
  const res = await api.get<Summary>(`/api/v1/reports/summary?${q}`);
  expect(res.status).toBe(200);
  return res.body;
}

function check(body: Summary, want: ReturnType<typeof expected>) {
  expect(body.conversations.total).toBe(want.total);
  expect(body.conversations.byChannel).toEqual(want.byChannel);
  expect(body.conversations.byHour).toEqual(want.byHour);
  expect(body.firstResponse.count).toBe(want.firstResponse.count);
  if (want.firstResponse.median === null) expect(body.firstResponse.median).toBeNull();
  else {
    expect(body.firstResponse.median).toBeCloseTo(want.firstResponse.median, 6);
    expect(body.firstResponse.p90).toBeCloseTo(want.firstResponse.p90 ?? Number.NaN, 6);
  }
  expect(body.sla).toEqual(want.sla);
  expect(body.csat.count).toBe(want.csat.count);
  if (want.csat.average === null) expect(body.csat.average).toBeNull();
  else expect(body.csat.average).toBeCloseTo(want.csat.average, 10);
}

const WINDOWS: [string, number, number][] = [
  ['two whole days', BASE, BASE + 48 * HOUR],
  ['off the 15-minute slots', BASE + 7 * MIN + 13_000, BASE + 31 * HOUR + 22 * MIN + 5_000],
  ['inside one slot', BASE + 2 * HOUR + MIN, BASE + 2 * HOUR + 14 * MIN],
];

describe('GET /api/v1/reports/summary filters', () => {
  it.each(WINDOWS)('counts everything, per team, inbox and agent: %s', async (_, from, to) => {
    const filters: Filter[] = [
      {},
      { teamId: teams[0] },
      { teamId: teams[1] },
      { inboxId: smsInbox },
      { inboxId: webchat },
      { assigneeId: agents[0] },
      { assigneeId: agents[1] },
      { teamId: teams[0], inboxId: smsInbox },
      { inboxId: webchat, assigneeId: agents[1] },
    ];
    for (const f of filters) {
      const body = await summary(admin, from, to, { ...f });
      check(body, expected(from, to, f));
    }
    // Sanity: the plan does put rows in this window.
    expect(expected(from, to, {}).total + expected(from, to, {}).byHour.length).toBeGreaterThan(0);
  });

  it('buckets hours in a half-hour time zone (Tehran, UTC+03:30)', async () => {
    const [, from, to] = WINDOWS[1]!;
    const body = await summary(admin, from, to, { timeZone: 'Asia/Tehran' });
    check(body, expected(from, to, {}, 3.5 * HOUR));
    const sms = await summary(admin, BASE, BASE + 48 * HOUR, {
      timeZone: 'Asia/Tehran',
      inboxId: smsInbox,
    });
    check(sms, expected(BASE, BASE + 48 * HOUR, { inboxId: smsInbox }, 3.5 * HOUR));
  });

  it('keeps an agent to their own inboxes, whatever inbox they ask for', async () => {
    const [, from, to] = WINDOWS[0]!;
    check(await summary(agent, from, to), expected(from, to, {}, 0, [smsInbox]));
    check(
      await summary(agent, from, to, { inboxId: webchat }),
      expected(from, to, { inboxId: webchat }, 0, [smsInbox]),
    );
    check(
      await summary(agent, from, to, { teamId: teams[1] }),
      expected(from, to, { teamId: teams[1] }, 0, [smsInbox]),
    );
  });

  it('rejects a filter that is not an id', async () => {
    const res = await admin.get<{ error: { code: string; message: string } }>(
      `/api/v1/reports/summary?from=${iso(BASE)}&to=${iso(BASE + HOUR)}&teamId=billing`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBeTruthy();
    expect(res.body.error.message).toBeTruthy();
  });
});

describe('message volume rollup', () => {
  const rollupMatchesMessages = async () => {
    const diff = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from (
            select bucket, inbox_id, sum(messages_in)::int, sum(messages_out)::int
              from (select bucket, inbox_id, messages_in, messages_out from message_volume
                    union all
                    select bucket, inbox_id, messages_in, messages_out from message_volume_delta) v
             group by 1, 2
            having sum(messages_in) <> 0 or sum(messages_out) <> 0
            except all
            select message_volume_slot(created_at), inbox_id,
                   count(*) filter (where direction = 'in')::int, count(*) filter (where direction = 'out')::int
              from messages where not private group by 1, 2) d`,
    );
    const missing = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from (
            select message_volume_slot(created_at), inbox_id,
                   count(*) filter (where direction = 'in')::int, count(*) filter (where direction = 'out')::int
              from messages where not private group by 1, 2
            except all
            select bucket, inbox_id, sum(messages_in)::int, sum(messages_out)::int
              from (select bucket, inbox_id, messages_in, messages_out from message_volume
                    union all
                    select bucket, inbox_id, messages_in, messages_out from message_volume_delta) v
             group by 1, 2
            having sum(messages_in) <> 0 or sum(messages_out) <> 0) d`,
    );
    expect(diff[0]?.n).toBe(0);
    expect(missing[0]?.n).toBe(0);
  };

  it('follows messages moved, made private, deleted with their conversation and ingested concurrently', async () => {
    await rollupMatchesMessages();

    // Move one message an hour and a half later, make another an internal note.
    const moved = msgs.find((m) => !m.private && m.direction === 'in')!;
    moved.at += 90 * MIN;
    await db().execute(
      sql`update messages set created_at = ${iso(moved.at)}::timestamptz where id = ${moved.id}::uuid`,
    );
    const hidden = msgs.find((m) => !m.private && m.direction === 'out')!;
    hidden.private = true;
    await db().execute(sql`update messages set private = true where id = ${hidden.id}::uuid`);
    // A status change (the common update) leaves the counts alone.
    await db().execute(sql`update messages set status = 'delivered' where id = ${moved.id}::uuid`);

    // Delete a conversation: its messages go by cascade.
    const gone = convs.find((c) => c.inbox === smsInbox && msgs.some((m) => m.conv === c))!;
    await db().execute(sql`delete from conversations where id = ${gone.id}::uuid`);
    convs.splice(convs.indexOf(gone), 1);
    msgs = msgs.filter((m) => m.conv !== gone);

    // Fold half way: the report reads folded and unfolded counts alike.
    expect(await foldMessageVolume(db())).toBeGreaterThan(0);
    expect(await foldMessageVolume(db())).toBe(0);
    await rollupMatchesMessages();

    // 30 messages at once, each in its own transaction, into the same slot, with folds running
    // alongside them.
    const target = convs.find((c) => c.inbox === webchat)!;
    const at = target.created + 3 * MIN;
    const folds = Array.from({ length: 5 }, () => foldMessageVolume(db()));
    const added = await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        one<{ id: string }>(sql`
          insert into messages (conversation_id, inbox_id, direction, sender_type, text, status, created_at)
          values (${target.id}::uuid, ${target.inbox}::uuid, ${n % 3 ? 'in' : 'out'}::direction,
                  ${n % 3 ? 'contact' : 'user'}::sender_type, 'burst', 'sent', ${iso(at)}::timestamptz)
          returning id`).then((r) => ({ id: r.id, n })),
      ),
    );
    for (const a of added)
      msgs.push({
        id: a.id,
        conv: target,
        at,
        direction: a.n % 3 ? 'in' : 'out',
        private: false,
      });

    await Promise.all(folds);
    await rollupMatchesMessages();
    for (const [, from, to] of WINDOWS) {
      check(await summary(admin, from, to), expected(from, to, {}));
      check(
        await summary(admin, from, to, { inboxId: webchat }),
        expected(from, to, { inboxId: webchat }),
      );
    }
    await foldMessageVolume(db());
    const [left] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from message_volume_delta`,
    );
    expect(left?.n).toBe(0);
    await rollupMatchesMessages();
    check(await summary(admin, BASE, BASE + 48 * HOUR), expected(BASE, BASE + 48 * HOUR, {}));
  });
});
