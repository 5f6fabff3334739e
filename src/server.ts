import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ChannelEnvError, type ChannelDefinition } from '../channels/types';
import type { WebchatTransport } from '../channels/webchat/definition';
import { WebchatGateway } from '../channels/webchat/gateway';
import { ConfigError, loadConfig, type Config } from './config/config';
import { createLogger, type Logger } from './logger';
import type { Database } from './db/client';
import { UnitOfWork } from './db/unit-of-work';
import { EventService } from './events/event.service';
import { AuthService } from './auth/auth.service';
import { AccessService } from './auth/access.service';
import { ConversationRepository } from './conversations/conversation.repository';
import { MessageRepository } from './conversations/message.repository';
import { ConversationService } from './conversations/conversation.service';
import { DELIVERY_JOB, MessageService } from './conversations/message.service';
import { snoozeWakeHandler } from './conversations/snooze.job';
import { SNOOZE_JOB } from './conversations/conversation.service';
import { EscalationService } from './complaints/escalation.service';
import { CallbackService } from './conversations/callback.service';
import { ContactRepository } from './contacts/contact.repository';
import { ContactService } from './contacts/contact.service';
import { ContactLinkService } from './contacts/contact-link.service';
import { UserService } from './admin/user.service';
import { TeamService } from './admin/team.service';
import { CannedService } from './admin/canned.service';
import { InboxRepository } from './inboxes/inbox.repository';
import { InboxService } from './inboxes/inbox.service';
import { SearchService } from './search/search.service';
import { IngestService } from './ingest/ingest.service';
import { IngestBatcher } from './ingest/ingest-batcher';
import { JobQueue } from './jobs/job-queue';
import { JobWorker } from './jobs/worker';
import { LeaseService } from './jobs/leases';
import { DurableEvents, EVENT_JOB } from './jobs/durable-events';
import { DeliveryJob } from './delivery/delivery.job';
import { MEDIA_JOB, MediaJob } from './media/media.job';
import { AttachmentStore } from './attachments/attachment.store';
import { AttachmentService } from './attachments/attachment.service';
import { publicMediaRoutes } from './attachments/public-media.controller';
import { ChannelHost } from './channel-host/channel-host';
import { HealthTracker } from './channel-host/health';
import { InboundProcessor } from './channel-host/inbound';
import { FailedIngestRepository } from './channel-host/failed-ingests';
import { FailedIngestService } from './channel-host/failed-ingest.service';
import { ReceiverSupervisor } from './channel-host/receivers';
import { webhookRouter } from './channel-host/webhook.router';
import { AgentGateway } from './realtime/agent.gateway';
import { webchatPort } from './realtime/webchat-port';
import { apiRouter } from './api/app';
import { authenticate } from './api/http';
import { authRoutes } from './api/auth.controller';
import { conversationRoutes } from './api/conversations.controller';
import { contactRoutes } from './api/contacts.controller';
import { adminRoutes } from './api/admin.controller';
import { openApiDocument } from './api/openapi';
import { systemClock, type Clock } from './clock';
import type { Resolver } from './net/safe-http';
import { channelDefinitions, linkSecretOf } from './compose/channels';
import { openFoundation } from './compose/foundation';
import { crmModule } from './compose/crm';
import { ladderModule, type Ladder } from './compose/ladder';
import { AnonymousContactCleanup } from './contacts/anonymous-cleanup.job';
import { botModule, type BotModule } from './compose/bot';
import { BotFrameworkGateway } from './bot/bot-framework';
import { botFrameworkChannel } from '../channels/botframework/definition';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningServer {
  port: number;
  url: string;
  database: Database;
  ingest: IngestService;
  events: EventService;
  host: ChannelHost;
  worker: JobWorker;
  receivers: ReceiverSupervisor;
  ladder: Ladder;
  /** Removes web visitors' contacts that never wrote (hourly; tests call `sweep`). */
  anonymousCleanup: AnonymousContactCleanup;
  bot: BotModule;
  /** The analytical CRM (tests run the merge-suggestion pass directly). */
  crm: ReturnType<typeof crmModule>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where the one-time generated admin password is printed (stdout by default). */
  print?: (line: string) => void;
  /** More channel kinds than the built-in ones (tests add fakes here). */
  channels?: ChannelDefinition[];
  /** More durable event listeners (extensions, tests), registered before anything runs. */
  listeners?: ((durable: DurableEvents) => void)[];
  /** Where timers read the time (SLA clocks, routing); tests move a manual clock. */
  clock?: Clock;
  /** DNS for outgoing webhooks; tests answer it themselves so no name leaves the machine. */
  resolve?: Resolver;
}

/**
 * The composition root: the only place that reads configuration and wires collaborators.
 * Everything else receives what it needs through its constructor.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  const foundation = await openFoundation(config, logger, {
    root,
    print: options.print ?? ((line) => process.stdout.write(`${line}\n`)),
  });
  const { ready, stopping, http, io, port, redis, database, secrets, mediaLinks } = foundation;
  const { db } = database;

  // ---- persistence and work ---------------------------------------------------------------
  const clock = options.clock ?? systemClock;
  const events = new EventService(logger);
  const jobs = new JobQueue(db);
  const durable = new DurableEvents(jobs);
  const uow = new UnitOfWork(db, events, durable);
  const leases = new LeaseService(db);
  const worker = new JobWorker(
    jobs,
    logger,
    {
      pollMs: config.DELIVERY_POLL_MS,
      leaseMs: config.JOB_LEASE_SECONDS * 1000,
      concurrency: 20,
    },
    clock,
  );
  const files = new AttachmentStore(config.DATA_DIR);
  const conversationRepo = new ConversationRepository(db);
  const messageRepo = new MessageRepository(db);
  const contactRepo = new ContactRepository(db);
  const inboxRepo = new InboxRepository(db);

  // ---- channels ----------------------------------------------------------------------------
  // The web-chat channel sends through the /webchat gateway, which is built with the sockets.
  const webchat: { gateway?: WebchatGateway } = {};
  const webchatTransport: WebchatTransport = {
    pushToVisitor: (...args) => webchat.gateway?.pushToVisitor(...args),
    agentTyping: (...args) => webchat.gateway?.agentTyping(...args),
  };
  const linkSecret = linkSecretOf(foundation.secretKey);
  const botFramework = new BotFrameworkGateway(
    {
      appId: config.MICROSOFT_APP_ID,
      appPassword: config.MICROSOFT_APP_PASSWORD,
      tenantId: config.MICROSOFT_APP_TENANT_ID,
    },
    logger,
  );
  const host = new ChannelHost(
    channelDefinitions({
      config,
      logger,
      db,
      webchat: webchatTransport,
      linkSecret,
      mediaLinks,
      extra: [botFrameworkChannel(botFramework), ...(options.channels ?? [])],
    }),
    inboxRepo,
    secrets,
    config.publicUrl,
    logger,
  );
  const health = new HealthTracker(inboxRepo, logger);

  // ---- services -----------------------------------------------------------------------------
  const auth = new AuthService(db, config.TOKEN_TTL_HOURS);
  const access = new AccessService(db);
  const users = new UserService(db, uow, auth, access);
  const teams = new TeamService(db, uow, access);
  const canned = new CannedService(db, conversationRepo, access);
  const failedIngests = new FailedIngestRepository(db);
  const inboxes = new InboxService(
    uow,
    inboxRepo,
    host,
    secrets,
    health,
    failedIngests,
    access,
    config.publicUrl,
  );
  const messageService = new MessageService(uow, conversationRepo, messageRepo, jobs, {
    maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
  });
  const conversations = new ConversationService(
    uow,
    conversationRepo,
    messageRepo,
    contactRepo,
    messageService,
    users,
    jobs,
    access,
  );
  const escalations = new EscalationService(uow, conversations, conversationRepo);
  const ladder = ladderModule({
    config,
    logger,
    clock,
    db,
    uow,
    events,
    jobs,
    worker,
    durable,
    secrets,
    access,
    conversationRepo,
    messageRepo,
    conversations,
    messages: messageService,
    resolve: options.resolve,
  });
  const crm = crmModule({
    db,
    uow,
    clock,
    logger,
    access,
    contactRepo,
    hours: ladder.hours,
    jobs,
    worker,
    events,
    conversationRepo,
  });
  const callbacks = new CallbackService(uow, conversations, conversationRepo, messageService);
  const contacts = new ContactService(uow, contactRepo, conversationRepo, access);
  const search = new SearchService(conversationRepo, messageRepo, contacts, access);
  const attachments = new AttachmentService(db, files, conversations);
  const ingest = new IngestService(
    uow,
    conversationRepo,
    messageRepo,
    files,
    durable,
    new IngestBatcher(db),
    { maxMediaBytes: config.MEDIA_MAX_BYTES },
  );
  const links = new ContactLinkService(uow, contactRepo, inboxRepo, host, access, linkSecret);
  const inbound = new InboundProcessor(
    ingest,
    messageService,
    contacts,
    health,
    links,
    failedIngests,
    logger,
  );
  const bot = botModule({
    db,
    uow,
    clock,
    logger,
    events,
    durable,
    jobs,
    host,
    maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
    access,
    conversationRepo,
    messages: messageService,
    ladder,
    ingest,
    inboxRepo,
    inboxes,
    gateway: botFramework,
  });
  const failedIngestService = new FailedIngestService(failedIngests, host, inbound, access);
  const receivers = new ReceiverSupervisor(
    host,
    leases,
    inboxRepo,
    inbound,
    health,
    logger,
    worker.id,
    {
      tickMs: config.RECEIVER_TICK_SECONDS * 1000,
      leaseMs: config.RECEIVER_LEASE_SECONDS * 1000,
    },
  );

  // Inboxes that environment variables describe (CONTRACT): a wrong variable stops start-up.
  for (const definition of host.allDefinitions()) {
    let spec;
    try {
      spec = definition.fromEnv?.(config);
      if (spec) await inboxes.ensureFromEnv(definition.kind, spec);
    } catch (err) {
      await foundation.abandon();
      if (err instanceof ChannelEnvError) throw new ConfigError([err.message]);
      throw err;
    }
  }

  // ---- durable work ---------------------------------------------------------------------------
  worker.register(
    DELIVERY_JOB,
    // The heartbeat keeps a job's lease while its send runs, however slow; the timeout is the
    // longest we wait for a provider at all.
    new DeliveryJob(db, uow, messageRepo, contacts, host, health, files, logger, {
      sendTimeoutMs: 30_000,
      publicUrl: (attachmentId) => mediaLinks.urlFor(attachmentId),
    }).handler(),
  );
  worker.register(
    MEDIA_JOB,
    new MediaJob(db, uow, messageRepo, host, files, {
      maxBytes: config.MEDIA_MAX_BYTES,
      timeoutMs: 120_000,
    }).handler(),
  );
  worker.register(SNOOZE_JOB, snoozeWakeHandler(uow, conversationRepo));
  for (const register of options.listeners ?? []) register(durable);
  worker.register(EVENT_JOB, durable.handler());
  events.on('jobs.enqueued', () => worker.kick());
  events.on('inbox.changed', ({ inboxId }) => host.changed(inboxId));

  // ---- sockets ------------------------------------------------------------------------------
  const agentGateway = new AgentGateway(
    auth,
    access,
    conversations,
    events,
    (conversation, typing) => host.typing(conversation, typing),
    logger,
    ladder.presence,
  );
  agentGateway.init(io);
  const webchatGateway = new WebchatGateway(
    webchatPort({
      host,
      inboxes: inboxRepo,
      ingest,
      conversations: conversationRepo,
      messages: messageRepo,
      contactRepo,
      contacts,
      events,
      agents: agentGateway,
      logger,
    }),
    foundation.visitorTokenSecret,
  );
  webchatGateway.init(io);
  webchat.gateway = webchatGateway;

  const anonymousCleanup = new AnonymousContactCleanup(uow, clock, logger, {
    retentionDays: config.ANONYMOUS_RETENTION_DAYS,
    everyMs: 60 * 60 * 1000,
  });

  await ladder.start();
  await crm.start();
  anonymousCleanup.start();
  worker.start();
  health.start();
  receivers.start();

  const requireAuth = authenticate(auth, config.publicUrl);
  ready(
    apiRouter({
      authRoutes: authRoutes({
        auth,
        users,
        events,
        publicUrl: config.publicUrl,
        tokenTtlHours: config.TOKEN_TTL_HOURS,
        loginLimit: config.LOGIN_RATE_LIMIT,
      }),
      requireAuth,
      protectedRoutes: [
        conversationRoutes(conversations, escalations, callbacks),
        contactRoutes({ contacts, search, attachments, links }),
        adminRoutes({ users, teams, inboxes, canned, failed: failedIngestService }),
        ...ladder.routes,
        ...crm.routes,
        ...bot.routes,
      ],
      botFramework: bot.botFramework,
      webhooks: webhookRouter({
        host,
        inboxes: inboxRepo,
        inbound,
        failed: failedIngests,
        publicUrl: config.publicUrl,
        logger,
      }),
      media: publicMediaRoutes({ links: mediaLinks, attachments }),
      openApi: openApiDocument(config.publicUrl),
    }),
  );
  logger.info(
    { port, database: database.kind, channels: host.kinds() },
    `Switchboard listening on http://localhost:${port}`,
  );

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping();
      // Stop taking new work: every socket of every namespace is closed, then the HTTP server
      // stops accepting; requests in flight finish (idle keep-alive connections are dropped).
      const closed = new Promise<void>((r) => io.close(() => r()));
      http.closeIdleConnections();
      await receivers.stop();
      await worker.stop();
      await anonymousCleanup.stop();
      await ladder.stop();
      await crm.stop();
      const forced = setTimeout(() => http.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(forced);
      // Let transactions already started commit, then close the database cleanly.
      await uow.drain();
      await health.stop();
      await host.close();
      events.removeAllListeners();
      await redis?.close();
      await database.close();
      logger.info('stopped cleanly');
    })());

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    database,
    ingest,
    events,
    host,
    worker,
    receivers,
    ladder,
    anonymousCleanup,
    bot,
    crm,
    stop,
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let server: RunningServer;
  try {
    server = await startServer(config, logger);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    logger.fatal({ err }, 'could not start');
    process.exit(1);
  }
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  void main();
}
