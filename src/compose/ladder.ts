import type { Router } from 'express';
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import type { Clock } from '../clock';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { conversations } from '../db/schema';
import type { UnitOfWork } from '../db/unit-of-work';
import type { EventService } from '../events/event.service';
import type { AccessService } from '../auth/access.service';
import type { SecretBox } from '../channel-host/secret-box';
import type { ConversationRepository } from '../conversations/conversation.repository';
import type { MessageRepository } from '../conversations/message.repository';
import type { ConversationService } from '../conversations/conversation.service';
import type { MessageService } from '../conversations/message.service';
import type { DurableEvents } from '../jobs/durable-events';
import type { JobQueue } from '../jobs/job-queue';
import type { JobWorker } from '../jobs/worker';
import type { Resolver } from '../net/safe-http';
import { BusinessHoursService } from '../business-hours/business-hours.service';
import { SLA_CHECK_JOB, SLA_RESYNC_JOB, SlaService } from '../sla/sla.service';
import { SlaPolicyService } from '../sla/sla-policy.service';
import { ComplaintService } from '../complaints/complaint.service';
import { RuleService } from '../rules/rule.service';
import { RuleRunner } from '../rules/rule-runner';
import { NotificationService } from '../notifications/notification.service';
import {
  NOTIFY_MAIL_JOB,
  notificationMailHandler,
  notificationTransport,
} from '../notifications/notification-mail';
import { WEBHOOK_JOB, WebhookService } from '../webhooks/webhook.service';
import { webhookDeliveryHandler } from '../webhooks/webhook.job';
import { ConfirmationService } from '../csat/confirmation.service';
import { RoutingService } from '../routing/routing.service';
import { OFFLINE_JOB, PresenceService } from '../routing/presence.service';
import { complaintRoutes } from '../api/complaints.controller';
import { automationRoutes } from '../api/automation.controller';

export interface LadderDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Db;
  uow: UnitOfWork;
  events: EventService;
  jobs: JobQueue;
  worker: JobWorker;
  durable: DurableEvents;
  secrets: SecretBox;
  access: AccessService;
  conversationRepo: ConversationRepository;
  messageRepo: MessageRepository;
  conversations: ConversationService;
  messages: MessageService;
  /** Tests replace DNS for outgoing webhooks (nothing leaves the machine). */
  resolve?: Resolver | undefined;
}

/**
 * The complaint ladder, composed: business hours, SLA clocks and policies, complaints, rules,
 * the customer's confirmation and rating, notifications, outgoing webhooks and routing. What
 * happens after a change runs as durable listeners, in an order that matters: the customer's
 * answer first (it may keep the conversation resolved), then the SLA clocks, then the rules
 * (last, because a rule's action is not repeated if a later step fails and the job retries).
 */
export function ladderModule(d: LadderDeps) {
  const { config, logger, clock, db, uow, jobs, worker, durable, access } = d;
  const resync = async (tx: Parameters<JobQueue['enqueue']>[0]) => {
    await jobs.enqueue(tx, { kind: SLA_RESYNC_JOB, key: 'all', payload: {}, replace: true });
  };
  const hours = new BusinessHoursService(db, access, resync);
  const sla = new SlaService(db, uow, jobs, hours, d.conversationRepo, clock);
  const policies = new SlaPolicyService(db, uow, jobs, sla, access);
  const complaints = new ComplaintService(db, uow, d.conversations, d.conversationRepo, access);
  const rules = new RuleService(db, uow, access);
  const mailUrl = config.NOTIFY_SMTP_URL ?? config.SMTP_URL;
  const mailFrom = config.NOTIFY_FROM ?? config.EMAIL_FROM;
  const notifications = new NotificationService(db, jobs, Boolean(mailUrl && mailFrom));
  const webhooks = new WebhookService(
    db,
    uow,
    jobs,
    d.secrets,
    d.conversationRepo,
    d.messageRepo,
    access,
    d.resolve,
  );
  const runner = new RuleRunner(
    db,
    uow,
    rules,
    complaints,
    d.messages,
    d.conversationRepo,
    notifications,
    webhooks,
    clock,
    logger,
  );
  const confirmation = new ConfirmationService(
    uow,
    d.conversationRepo,
    d.messages,
    complaints,
    clock,
    { windowDays: config.CONFIRMATION_DAYS },
  );
  const routing = new RoutingService(db, uow, d.conversationRepo, clock);
  const presence = new PresenceService(db, uow, jobs, routing, clock, logger, {
    instance: worker.id,
    heartbeatMs: config.PRESENCE_HEARTBEAT_SECONDS * 1000,
  });

  // ---- what follows each event, in order ---------------------------------------------------
  const L = 'ladder';
  durable.on('message.received', L, async (e) => {
    // Most messages come outside a confirmation window and without an SLA: one read says so.
    const [conv] = await db
      .select({
        confirmationUntil: conversations.confirmationUntil,
        slaState: conversations.slaState,
        slaPolicyId: conversations.slaPolicyId,
      })
      .from(conversations)
      .where(eq(conversations.id, e.conversationId));
    if (!conv) return;
    // An answer to "is it solved?" changes the conversation: SLA then reads it afresh.
    const asked = conv.confirmationUntil !== null;
    if (asked) await confirmation.received(e.conversationId, e.messageId);
    await sla.sync(e.conversationId, asked ? undefined : conv);
    await runner.run('message.created', e, { type: 'contact', id: e.contactId });
  });
  durable.on(
    'message.posted',
    L,
    async (e) => {
      await sla.sync(e.conversationId);
      if (!e.private) await runner.run('message.created', e, e.actor);
    },
    {
      // The bot's own words while it holds the conversation run no clock (SLA clocks start at
      // handover) and are not rule events: rules judge what customers and people write.
      wants: (e) => !(e.senderType === 'bot' && e.conversationStatus === 'bot'),
    },
  );
  durable.on('conversation.created', L, async (e) => {
    await sla.sync(e.conversationId);
    await runner.run('conversation.created', e);
  });
  durable.on('conversation.updated', L, async (e) => {
    if (e.changes['status']?.to === 'resolved')
      await confirmation.resolved(e.conversationId, e.actor);
    await sla.sync(e.conversationId);
    await runner.run('conversation.updated', e, e.actor);
  });
  for (const event of ['complaint.created', 'complaint.reopened'] as const)
    durable.on(event, L, async (e) => {
      await sla.sync(e.conversationId);
      await runner.run(event, e, e.actor);
    });
  durable.on('complaint.changed', L, async (e) => sla.sync(e.conversationId));
  durable.on('sla.warning', L, (e) => runner.run('sla.warning', e));
  durable.on('sla.breached', L, (e) => runner.run('sla.breached', e));
  durable.on('csat.received', L, (e) => runner.run('csat.received', e, { type: 'system' }));
  routing.register(durable);
  webhooks.register(durable);

  worker.register(SLA_CHECK_JOB, sla.checkHandler());
  worker.register(SLA_RESYNC_JOB, sla.resyncHandler());
  worker.register(
    WEBHOOK_JOB,
    webhookDeliveryHandler(uow, webhooks, logger, d.resolve ? { resolve: d.resolve } : {}),
  );
  worker.register(OFFLINE_JOB, presence.offlineHandler());
  if (mailUrl && mailFrom)
    worker.register(
      NOTIFY_MAIL_JOB,
      notificationMailHandler(db, notificationTransport(mailUrl), {
        from: mailFrom,
        publicUrl: config.publicUrl,
      }),
    );
  else logger.info('supervisor notifications stay in the app: no NOTIFY_SMTP_URL or SMTP_URL');

  d.events.on('user.routing-changed', ({ userId }) => {
    routing.routeForUser(userId).catch((err: unknown) => logger.warn({ err }, 'routing failed'));
  });
  d.events.on('inbox.changed', () => {
    routing.refresh().catch((err: unknown) => logger.warn({ err }, 'routing refresh failed'));
  });

  const routes: Router[] = [
    complaintRoutes({ complaints, notifications }),
    automationRoutes({ hours, policies, rules, webhooks }),
  ];

  return {
    hours,
    sla,
    complaints,
    rules,
    /** Runs the rules of one event (the benchmark times it). */
    runner,
    notifications,
    webhooks,
    routing,
    presence,
    routes,
    /** Before the worker starts: the shipped rules exist, the listeners' caches are warm. */
    async start(): Promise<void> {
      await rules.seedShipped();
      await Promise.all([webhooks.refresh(), routing.refresh()]);
      presence.start();
    },
    async stop(): Promise<void> {
      await presence.stop();
    },
  };
}

export type Ladder = ReturnType<typeof ladderModule>;
