import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Server as SocketServer } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import { openDatabase, type Database } from '../db/client';
import { createApp } from '../api/app';
import { loadSecretKey, SecretBox } from '../channel-host/secret-box';
import { PublicMediaLinks } from '../attachments/public-media';
import { seedFirstRun, visitorSecret } from '../bootstrap';

/**
 * What every module stands on, in start-up order: the HTTP server listening (so `/healthz`
 * answers 503 while the database migrates), sockets (shared through Redis when configured),
 * the database migrated, the secrets, and a first admin.
 */
export async function openFoundation(
  config: Config,
  logger: Logger,
  opts: { root: string; print: (line: string) => void },
) {
  const { app, ready, stopping } = createApp(logger, {
    distDir: join(opts.root, 'dist'),
    demoPage: join(opts.root, 'channels/webchat/widget/demo.html'),
  });
  const http: HttpServer = createServer(app);
  const io = new SocketServer(http, {
    // Visitors come from the shop's own site; agents authenticate with a SameSite=Strict cookie
    // or a token, so no credentials ride on cross-origin requests.
    cors: { origin: true, credentials: false },
    maxHttpBufferSize: 1e6,
    serveClient: false,
  });
  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(config.PORT, config.HOST, () => resolveListen());
  });
  const port = (http.address() as AddressInfo).port;

  let redis: { close(): Promise<void> } | undefined;
  let database: Database;
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
      pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS,
      onConnectionError: (err) => logger.warn({ err }, 'a database connection was dropped'),
    });
  } catch (err) {
    await new Promise((r) => http.close(r));
    await redis?.close();
    throw err;
  }
  const secretKey = loadSecretKey(config.SECRET_KEY, config.DATA_DIR);
  if (config.DATABASE_URL && secretKey.source !== 'env')
    logger.warn(
      { keyFile: join(config.DATA_DIR, 'secret.key') },
      'SECRET_KEY is not set: channel credentials are sealed with a key generated into DATA_DIR. ' +
        'Every instance sharing this database needs the same key: set SECRET_KEY.',
    );
  await seedFirstRun(
    database.db,
    logger,
    { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD },
    opts.print,
  );
  const secrets = new SecretBox(secretKey.key);
  return {
    ready,
    stopping,
    http,
    io,
    port,
    redis,
    database,
    secretKey: secretKey.key,
    secrets,
    mediaLinks: new PublicMediaLinks(PublicMediaLinks.deriveKey(secretKey.key), config.publicUrl),
    visitorTokenSecret: await visitorSecret(database.db, config.SESSION_SECRET, secrets),
    /** Undo the above when start-up fails later on. */
    async abandon(): Promise<void> {
      await new Promise((r) => http.close(r));
      await redis?.close();
      await database.close();
    },
  };
}
