import { randomBytes } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import type { UnitOfWork } from '../db/unit-of-work';
import { complaints, webhookDeliveries, webhookSubscriptions } from '../db/schema';
import type { AccessService } from '../auth/access.service';
import type { Principal } from '../auth/auth.service';
import type { SecretBox } from '../channel-host/secret-box';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageRepository } from '../conversations/message.repository';
import { toComplaintDto } from '../complaints/complaint.service';
import type { DomainEventMap, DomainEventName } from '../events/domain-events';
import type { DurableEvents } from '../jobs/durable-events';
import type { JobQueue } from '../jobs/job-queue';
import type { WebhookDispatch } from '../rules/rule-runner';
import { audit } from '../audit/audit';
import { Snapshot } from '../jobs/snapshot';
import { badRequest, notFound } from '../errors';
import { vetDestination, UnsafeDestinationError, type Resolver } from '../net/safe-http';

export const WEBHOOK_JOB = 'webhook.deliver';
/** Attempts of one delivery (backoff from 2 s to 10 min: about an hour and a half in all). */
export const WEBHOOK_ATTEMPTS = 12;

/** The durable events an admin may subscribe a URL to. */
export const WEBHOOK_EVENTS = [
  'conversation.created',
  'conversation.updated',
  'message.received',
  'message.posted',
  'complaint.created',
  'complaint.changed',
  'complaint.reopened',
  'sla.warning',
  'sla.breached',
  'csat.received',
] as const satisfies readonly DomainEventName[];
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookDto {
  id: string;
  name: string;
  url: string;
  events: WebhookEvent[];
  enabled: boolean;
  allowPrivate: boolean;
  createdAt: string;
  /** Only in the answer that created or rotated it: the secret is stored sealed, never shown. */
  secret?: string;
  lastDelivery: WebhookDeliveryDto | null;
}

export interface WebhookDeliveryDto {
  id: string;
  event: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastResponse: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookInput {
  name?: string | undefined;
  url?: string | undefined;
  events?: WebhookEvent[] | undefined;
  enabled?: boolean | undefined;
  allowPrivate?: boolean | undefined;
  rotateSecret?: boolean | undefined;
}

type SubscriptionRow = typeof webhookSubscriptions.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const deliveryDto = (r: DeliveryRow): WebhookDeliveryDto => ({
  id: r.id,
  event: r.event,
  state: r.state,
  attempts: r.attempts,
  lastStatus: r.lastStatus,
  lastResponse: r.lastResponse,
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const REFRESH_MS = 5_000;

/**
 * Outgoing webhooks: admins subscribe URLs to events; each event becomes one delivery row and
 * one job per subscription, written in a transaction (the durable listener's), signed and sent
 * by the job worker with backoff, its last response kept. With no subscription for an event the
 * listener is inactive and costs nothing. Another instance sees a new subscription within a few
 * seconds (its subscription cache refreshes), this one at once.
 */
export class WebhookService implements WebhookDispatch {
  private readonly subscriptions = new Snapshot(() => this.db.select().from(webhookSubscriptions), {
    maxAgeMs: REFRESH_MS,
  });

  constructor(
    private readonly db: Db,
    private readonly uow: UnitOfWork,
    private readonly jobs: JobQueue,
    private readonly secrets: SecretBox,
    private readonly conversations: ConversationRepository,
    private readonly messages: MessageRepository,
    private readonly access: AccessService,
    /** Tests replace DNS so that no name ever leaves the machine. */
    private readonly resolve?: Resolver,
  ) {}

  /** Loads the subscriptions; `active()` answers from this copy. */
  refresh(): Promise<void> {
    return this.subscriptions.refresh();
  }

  private subscribed(event: WebhookEvent): boolean {
    return !!this.subscriptions.current()?.some((s) => s.enabled && s.events.includes(event));
  }

  register(durable: DurableEvents): void {
    for (const event of WEBHOOK_EVENTS)
      durable.on(
        event,
        'webhooks',
        async (data: DomainEventMap[typeof event]) => {
          await this.fanOut(event, data);
        },
        { active: () => this.subscribed(event) },
      );
  }

  /** One delivery per enabled subscription of this event. */
  private async fanOut(event: WebhookEvent, data: DomainEventMap[WebhookEvent]): Promise<void> {
    // Internal notes stay inside: nobody outside hears of them.
    if (event === 'message.posted' && 'private' in data && data.private) return;
    const subs = await this.db
      .select({ id: webhookSubscriptions.id })
      .from(webhookSubscriptions)
      .where(
        and(
          eq(webhookSubscriptions.enabled, true),
          sql`${event} = any(${webhookSubscriptions.events})`,
        ),
      );
    if (!subs.length) return;
    const payload = await this.describe(data);
    await this.uow.run(async (tx, emit) => {
      for (const s of subs) await this.insertDelivery(tx, s.id, event, payload);
      emit('jobs.enqueued', {});
    });
  }

  /** The rule action "call a webhook": one delivery to that subscription, whatever its events. */
  async enqueue(
    tx: Tx,
    webhookId: string,
    event: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    const [sub] = await tx
      .select({ id: webhookSubscriptions.id, enabled: webhookSubscriptions.enabled })
      .from(webhookSubscriptions)
      .where(eq(webhookSubscriptions.id, webhookId));
    if (!sub?.enabled) return;
    const conversationId = typeof data['conversationId'] === 'string' ? data['conversationId'] : '';
    const described = conversationId
      ? await this.describe({ ...data, conversationId }, tx)
      : { ...data };
    await this.insertDelivery(tx, webhookId, event, described);
  }

  private async insertDelivery(
    tx: Tx,
    subscriptionId: string,
    event: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({ subscriptionId, event, payload: data })
      .returning({ id: webhookDeliveries.id });
    await this.jobs.enqueue(tx, {
      kind: WEBHOOK_JOB,
      key: row!.id,
      payload: { deliveryId: row!.id },
      maxAttempts: WEBHOOK_ATTEMPTS,
    });
  }

  /** The event's ids, with the objects they name as they are now (what a receiver wants). */
  private async describe(data: object, db: Db | Tx = this.db): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = { ...data };
    const ids = data as { conversationId?: unknown; messageId?: unknown; complaintId?: unknown };
    if (typeof ids.conversationId === 'string')
      out['conversation'] = (await this.conversations.dto(ids.conversationId, db)) ?? null;
    if (typeof ids.messageId === 'string') {
      const row = await this.messages.find(ids.messageId, db);
      out['message'] = row && !row.private ? await this.messages.dto(row, db) : null;
    }
    if (typeof ids.complaintId === 'string') {
      const [row] = await db.select().from(complaints).where(eq(complaints.id, ids.complaintId));
      out['complaint'] = row ? toComplaintDto(row) : null;
    }
    return out;
  }

  // ---- administration ---------------------------------------------------------------------

  async list(principal: Principal): Promise<WebhookDto[]> {
    this.access.requireAdmin(principal);
    const rows = await this.db
      .select()
      .from(webhookSubscriptions)
      .orderBy(webhookSubscriptions.name);
    return Promise.all(rows.map((r) => this.dto(r)));
  }

  async save(principal: Principal, id: string | null, input: WebhookInput): Promise<WebhookDto> {
    this.access.requireAdmin(principal);
    if (input.url !== undefined) await this.checkUrl(input.url, input.allowPrivate ?? false);
    const secret =
      !id || input.rotateSecret ? `whsec_${randomBytes(32).toString('base64url')}` : null;
    const row = await this.uow.run(async (tx) => {
      let saved: SubscriptionRow | undefined;
      if (id) {
        const [current] = await tx
          .select()
          .from(webhookSubscriptions)
          .where(eq(webhookSubscriptions.id, id))
          .for('update');
        if (!current) throw notFound('webhook');
        if (input.url === undefined && input.allowPrivate === false && current.allowPrivate)
          await this.checkUrl(current.url, false);
        [saved] = await tx
          .update(webhookSubscriptions)
          .set({
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.url !== undefined ? { url: input.url } : {}),
            ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
            ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
            ...(input.allowPrivate !== undefined ? { allowPrivate: input.allowPrivate } : {}),
            ...(secret ? { secret: this.secrets.seal(secret) } : {}),
            updatedAt: new Date(),
          })
          .where(eq(webhookSubscriptions.id, id))
          .returning();
      } else {
        if (!input.name || !input.url) throw badRequest('name and url are required');
        [saved] = await tx
          .insert(webhookSubscriptions)
          .values({
            name: input.name,
            url: input.url,
            events: [...new Set(input.events ?? [])],
            enabled: input.enabled ?? true,
            allowPrivate: input.allowPrivate ?? false,
            secret: this.secrets.seal(secret!),
          })
          .returning();
      }
      await audit(
        tx,
        { type: 'user', id: principal.id },
        'webhook',
        saved!.id,
        id ? 'update' : 'create',
        {
          name: saved!.name,
          url: saved!.url,
          events: saved!.events,
          allowPrivate: saved!.allowPrivate,
          ...(secret ? { secret: 'rotated' } : {}),
        },
      );
      return saved!;
    });
    await this.refresh();
    return { ...(await this.dto(row)), ...(secret ? { secret } : {}) };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    this.access.requireAdmin(principal);
    await this.uow.run(async (tx) => {
      const gone = await tx
        .delete(webhookSubscriptions)
        .where(eq(webhookSubscriptions.id, id))
        .returning({ id: webhookSubscriptions.id });
      if (!gone.length) throw notFound('webhook');
      await audit(tx, { type: 'user', id: principal.id }, 'webhook', id, 'delete');
    });
    await this.refresh();
  }

  async deliveries(principal: Principal, id: string): Promise<WebhookDeliveryDto[]> {
    this.access.requireAdmin(principal);
    const rows = await this.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.subscriptionId, id))
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(50);
    return rows.map(deliveryDto);
  }

  /** Sends a delivery again (after the receiver was fixed): a new attempt series. */
  async redeliver(principal: Principal, id: string, deliveryId: string): Promise<void> {
    this.access.requireAdmin(principal);
    await this.uow.run(async (tx, emit) => {
      const [row] = await tx
        .update(webhookDeliveries)
        .set({ state: 'pending', attempts: 0, lastError: null, updatedAt: new Date() })
        .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.subscriptionId, id)))
        .returning({ id: webhookDeliveries.id });
      if (!row) throw notFound('delivery');
      await this.jobs.enqueue(tx, {
        kind: WEBHOOK_JOB,
        key: row.id,
        payload: { deliveryId: row.id },
        maxAttempts: WEBHOOK_ATTEMPTS,
        replace: true,
      });
      emit('jobs.enqueued', {});
    });
  }

  /** A URL the worker would refuse is refused here, where the admin can fix it. */
  private async checkUrl(url: string, allowPrivate: boolean): Promise<void> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('url: not a URL');
    }
    try {
      await vetDestination(parsed, allowPrivate, this.resolve);
    } catch (err) {
      if (err instanceof UnsafeDestinationError) throw badRequest(`url: ${err.message}`);
      throw err;
    }
  }

  private async dto(r: SubscriptionRow): Promise<WebhookDto> {
    const [last] = await this.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.subscriptionId, r.id))
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(1);
    return {
      id: r.id,
      name: r.name,
      url: r.url,
      events: r.events.filter((e): e is WebhookEvent =>
        (WEBHOOK_EVENTS as readonly string[]).includes(e),
      ),
      enabled: r.enabled,
      allowPrivate: r.allowPrivate,
      createdAt: r.createdAt.toISOString(),
      lastDelivery: last ? deliveryDto(last) : null,
    };
  }

  /** For the delivery job: the delivery and its subscription, the secret opened. */
  async forDelivery(
    deliveryId: string,
  ): Promise<{ delivery: DeliveryRow; sub: SubscriptionRow; secret: string } | undefined> {
    const [row] = await this.db
      .select({ d: webhookDeliveries, s: webhookSubscriptions })
      .from(webhookDeliveries)
      .innerJoin(
        webhookSubscriptions,
        eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId),
      )
      .where(eq(webhookDeliveries.id, deliveryId));
    if (!row) return undefined;
    return { delivery: row.d, sub: row.s, secret: this.secrets.open(row.s.secret) };
  }
}
