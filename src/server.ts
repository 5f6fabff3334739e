import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Server as SocketServer } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { ChannelRegistry, type ChannelAdapter } from '../channels/types';
import { WebchatAdapter } from '../channels/webchat/adapter';
import { ConfigError, loadConfig, type Config } from './config/config';
import { createLogger, type Logger } from './logger';
import { openDatabase, type Database } from './db/client';
import { UnitOfWork } from './db/unit-of-work';
import { EventService } from './events/event.service';
import { AuthService } from './auth/auth.service';
import { AccessService } from './auth/access.service';
import { ConversationRepository } from './conversations/conversation.repository';
import { ConversationService } from './conversations/conversation.service';
import { ContactService } from './contacts/contact.service';
import { AdminService } from './admin/admin.service';
import { SearchService } from './search/search.service';
import { IngestService } from './ingest/ingest.service';
import { SessionBatcher } from './ingest/session-batcher';
import { DispatcherService } from './delivery/dispatcher.service';
import { AttachmentStore } from './attachments/attachment.store';
import { AgentGateway } from './inbox/agent.gateway';
import { WebchatGateway } from './webchat/webchat.gateway';
import { apiRouter, createApp } from './api/app';
import { authenticate } from './api/http';
import { authRoutes } from './api/auth.controller';
import { conversationRoutes } from './api/conversations.controller';
import { contactRoutes } from './api/contacts.controller';
import { adminRoutes } from './api/admin.controller';
import { openApiDocument } from './api/openapi';
import { seedFirstRun, visitorSecret } from './bootstrap';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningServer {
  port: number;
  url: string;
  database: Database;
  ingest: IngestService;
  events: EventService;
  stop(): Promise<void>;
}

/**
 * The composition root: the only place that reads configuration and wires collaborators.
 * Everything else receives what it needs through its constructor.
 */
export interface StartOptions {
  /** Where the one-time generated admin password is printed (stdout by default). */
  print?: (line: string) => void;
  /** Extra channel adapters, for channels configured outside the environment (and tests). */
  adapters?: ChannelAdapter[];
}

export async function startServer(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningServer> {
  const { app, ready, stopping } = createApp(logger, {
    distDir: join(root, 'dist'),
    demoPage: join(root, 'channels/webchat/widget/demo.html'),
  });
  const http: HttpServer = createServer(app);
  const io = new SocketServer(http, {
    // Visitors come from the shop's own site; agents authenticate with a SameSite=Strict cookie
    // or a token, so no credentials ride on cross-origin requests.
    cors: { origin: true, credentials: false },
    maxHttpBufferSize: 1e6,
    serveClient: false,
  });
  // Listen first so /healthz answers 503 while the database migrates.
  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(config.PORT, config.HOST, () => resolveListen());
  });
  const port = (http.address() as AddressInfo).port;

  let redis: { close(): Promise<void> } | undefined;
  let database: Database | undefined;
  try {
    if (config.REDIS_URL) {
      const pub = createClient({ url: config.REDIS_URL });
      const sub = pub.duplicate();
      await Promise.all([pub.connect(), sub.connect()]);
      io.adapter(createAdapter(pub, sub));
      redis = { close: async () => void (await Promise.allSettled([pub.quit(), sub.quit()])) };
    }
    database = await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
    });
  } catch (err) {
    await new Promise((r) => http.close(r));
    await redis?.close();
    throw err;
  }
  const { db } = database;
  await seedFirstRun(
    db,
    logger,
    { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD },
    options.print ?? ((line) => process.stdout.write(`${line}\n`)),
  );
  const secret = await visitorSecret(db, config.SESSION_SECRET);

  const events = new EventService(logger);
  const uow = new UnitOfWork(db, events);
  const files = new AttachmentStore(config.DATA_DIR);
  const repo = new ConversationRepository(db);
  const auth = new AuthService(db, config.TOKEN_TTL_HOURS);
  const access = new AccessService(db);
  const conversations = new ConversationService(uow, repo, access);
  const contacts = new ContactService(uow, repo, access);
  const admin = new AdminService(db, uow, auth, access);
  const search = new SearchService(repo, contacts, access);
  const ingest = new IngestService(uow, repo, files, new SessionBatcher(db));

  const agentGateway = new AgentGateway(auth, access, conversations, events, logger);
  const webchatGateway = new WebchatGateway(db, secret, ingest, repo, contacts, events, logger);
  agentGateway.init(io, webchatGateway);
  webchatGateway.init(io, agentGateway);

  const channels = new ChannelRegistry();
  channels.register(new WebchatAdapter(webchatGateway));
  for (const adapter of options.adapters ?? []) channels.register(adapter);

  const dispatcher = new DispatcherService(uow, repo, channels, files, logger, {
    pollMs: config.DELIVERY_POLL_MS,
    maxAttempts: config.DELIVERY_MAX_ATTEMPTS,
  });
  events.on('delivery.queued', () => dispatcher.kick());
  dispatcher.start();

  const requireAuth = authenticate(auth, config.publicUrl);
  ready(
    apiRouter({
      authRoutes: authRoutes({
        db,
        auth,
        admin,
        events,
        publicUrl: config.publicUrl,
        tokenTtlHours: config.TOKEN_TTL_HOURS,
        loginLimit: config.LOGIN_RATE_LIMIT,
      }),
      requireAuth,
      protectedRoutes: [
        conversationRoutes(conversations),
        contactRoutes({ db, contacts, search, conversations, files }),
        adminRoutes(admin),
      ],
      openApi: openApiDocument(config.publicUrl),
    }),
  );
  logger.info(
    { port, database: database.kind, channels: channels.kinds() },
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
      await dispatcher.stop();
      const forced = setTimeout(() => http.closeAllConnections(), 5_000);
      await closed;
      clearTimeout(forced);
      // Let transactions already started commit, then close the database cleanly.
      await uow.drain();
      events.removeAllListeners();
      await redis?.close();
      await database.close();
      logger.info('stopped cleanly');
    })());

  return { port, url: `http://127.0.0.1:${port}`, database, ingest, events, stop };
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
