import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Db, Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { queryRows } from '../db/rows';
import { conversations, inboxes, inboxMembers, users } from '../db/schema';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { DurableEvents } from '../jobs/durable-events';
import type { Actor } from '../events/domain-events';
import { audit } from '../audit/audit';
import { Snapshot } from '../jobs/snapshot';

/** A presence row older than this is from an instance that died: the agent is not online. */
export const PRESENCE_TTL_SECONDS = 90;
const REFRESH_MS = 5_000;

/** The actor of routing's own changes (the audit trail names it). */
const ROUTING: Actor = { type: 'system', rule: 'routing' };

/**
 * Automatic assignment. In an inbox set to round robin, each open unassigned conversation goes
 * to the agent of that inbox who is online, available and under their capacity, and whose last
 * assignment is the oldest; the queue is served highest customer tier first, then oldest wait
 * first. Runs after the events that change the queue or the agents (a new or reopened
 * conversation, one resolved or unassigned, an agent coming online), under a per-inbox advisory
 * lock, so two instances never hand the same conversation out twice.
 */
export class RoutingService {
  /** The inboxes that route automatically. */
  private readonly auto = new Snapshot(
    async () =>
      new Set(
        (
          await this.db
            .select({ id: inboxes.id })
            .from(inboxes)
            .where(eq(inboxes.routing, 'round_robin'))
        ).map((r) => r.id),
      ),
    { maxAgeMs: REFRESH_MS },
  );

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly conversations: ConversationRepository,
    private readonly clock: Clock,
  ) {}

  refresh(): Promise<void> {
    return this.auto.refresh();
  }

  /** Whether any inbox routes automatically (answered from memory, refreshed in the background). */
  private active(): boolean {
    return !!this.auto.current()?.size;
  }

  register(durable: DurableEvents): void {
    const active = { active: () => this.active() };
    durable.on(
      'conversation.created',
      'routing',
      async (d) => void (await this.route(d.inboxId)),
      active,
    );
    durable.on(
      'message.received',
      'routing',
      async (d) => void (await this.route(d.inboxId)),
      active,
    );
    durable.on(
      'conversation.updated',
      'routing',
      async (d) => {
        const status = d.changes['status'];
        const assignee = d.changes['assigneeId'];
        // Routing's own assignment changes nothing more to route.
        if (!status && (!assignee || assignee.to !== null)) return;
        await this.route(d.inboxId);
        // Whoever had it may have room now for a conversation of another inbox.
        for (const id of [
          assignee?.from,
          (await this.conversations.findRow(d.conversationId))?.assigneeId,
        ])
          if (typeof id === 'string') await this.routeForUser(id);
      },
      active,
    );
  }

  /** Routes every round-robin inbox the user is a member of (they came online, or have room). */
  async routeForUser(userId: string): Promise<number> {
    const rows = await this.db
      .select({ id: inboxMembers.inboxId })
      .from(inboxMembers)
      .innerJoin(inboxes, eq(inboxes.id, inboxMembers.inboxId))
      .where(and(eq(inboxMembers.userId, userId), eq(inboxes.routing, 'round_robin')));
    let n = 0;
    for (const r of rows) n += await this.route(r.id);
    return n;
  }

  /** Hands out the inbox's queue while agents have room; returns how many were assigned. */
  async route(inboxId: string): Promise<number> {
    return this.uow.run(async (tx, emit, publish) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`routing:${inboxId}`}))`);
      const [inbox] = await tx
        .select({ routing: inboxes.routing, enabled: inboxes.enabled })
        .from(inboxes)
        .where(eq(inboxes.id, inboxId));
      if (inbox?.routing !== 'round_robin') return 0;
      let assigned = 0;
      for (;;) {
        const agent = await this.nextAgent(tx, inboxId);
        if (!agent) break;
        const [next] = await queryRows<{ id: string }>(
          tx,
          sql`select c.id from conversations c join contacts k on k.id = c.contact_id
               where c.inbox_id = ${inboxId} and c.assignee_id is null and c.status = 'open'
               order by case k.tier when 'platinum' then 4 when 'gold' then 3
                                    when 'silver' then 2 when 'bronze' then 1 else 0 end desc,
                        coalesce(c.waiting_since, c.created_at) asc, c.id
               limit 1 for update of c skip locked`,
        );
        if (!next) break;
        await this.conversations.update(tx, next.id, { assigneeId: agent.id });
        await tx
          .update(users)
          .set({ lastAssignedAt: this.clock.now() })
          .where(eq(users.id, agent.id));
        const changes = { assigneeId: { from: null, to: agent.id } };
        await audit(tx, ROUTING, 'conversation', next.id, 'assign', { changes });
        const dto = (await this.conversations.dto(next.id, tx))!;
        emit('conversation.updated', { conversation: dto, changes: ['assigneeId'] });
        await publish('conversation.updated', {
          conversationId: next.id,
          inboxId,
          changes,
          actor: ROUTING,
        });
        assigned++;
      }
      return assigned;
    });
  }

  /** The member of the inbox who is online, available and under capacity, longest unassigned. */
  private async nextAgent(tx: Tx, inboxId: string): Promise<{ id: string } | undefined> {
    const [row] = await queryRows<{ id: string }>(
      tx,
      sql`select u.id from users u
            join inbox_members m on m.user_id = u.id and m.inbox_id = ${inboxId}
           where u.active and u.available
             and exists (select 1 from agent_presence p where p.user_id = u.id
                          and p.seen_at > now() - make_interval(secs => ${PRESENCE_TTL_SECONDS}))
             and (select count(*) from conversations c
                   where c.assignee_id = u.id and c.status = 'open') < u.capacity
           order by u.last_assigned_at asc nulls first, u.id
           limit 1`,
    );
    return row;
  }

  /**
   * The agent has been offline long enough for these inboxes: their open conversations there go
   * back to the queue (and are routed to someone online).
   */
  async returnToQueue(userId: string, inboxIds: string[]): Promise<number> {
    if (!inboxIds.length) return 0;
    const returned = await this.uow.run(async (tx, emit, publish) => {
      const rows = await tx
        .update(conversations)
        .set({ assigneeId: null, updatedAt: new Date() })
        .where(
          and(
            eq(conversations.assigneeId, userId),
            eq(conversations.status, 'open'),
            inArray(conversations.inboxId, inboxIds),
          ),
        )
        .returning({ id: conversations.id, inboxId: conversations.inboxId });
      for (const r of rows) {
        const changes = { assigneeId: { from: userId, to: null } };
        await audit(tx, ROUTING, 'conversation', r.id, 'unassign', {
          changes,
          reason: 'the agent went offline',
        });
        const dto = (await this.conversations.dto(r.id, tx))!;
        emit('conversation.updated', { conversation: dto, changes: ['assigneeId'] });
        await publish('conversation.updated', {
          conversationId: r.id,
          inboxId: r.inboxId,
          changes,
          actor: ROUTING,
        });
      }
      return rows.length;
    });
    return returned;
  }
}
