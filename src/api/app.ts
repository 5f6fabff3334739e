import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from '../logger';
import { AppError } from '../errors';
import { errorHandler } from './http';

export interface Frontend {
  /** dist/ folder with widget/ and inbox-ui/ builds. */
  distDir: string;
  /** channels/webchat/widget/demo.html */
  demoPage: string;
}

/**
 * The HTTP app. It answers /healthz at once and 503 elsewhere until `ready()` hands it the
 * API router, so a load balancer never routes to an instance whose database is not migrated.
 */
export function createApp(
  logger: Logger,
  frontend: Frontend,
): { app: Express; ready(api: Router): void; stopping(): void } {
  const app = express();
  let api: Router | undefined;
  let accepting = true;
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          // https: so an agent can choose to show an e-mail's remote images; the sandboxed
          // e-mail frame blocks them by its own CSP until then.
          imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          frameSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          frameAncestors: ["'self'"],
          // Plain-http deployments (an intranet box) must keep working.
          upgradeInsecureRequests: null,
        },
      },
      // The widget script is loaded by other sites.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
    }),
  );

  app.use((req, res, next) => {
    const given = req.headers['x-request-id'];
    req.requestId =
      typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = {
        method: req.method,
        url: req.originalUrl,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        requestId: req.requestId,
      };
      // /healthz answers 503 on purpose while starting or stopping: not a failure.
      if (res.statusCode >= 500 && req.path !== '/healthz') logger.warn(entry, 'request failed');
      else logger.debug(entry, 'request');
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    if (api && accepting) res.json({ status: 'ok' });
    else res.status(503).json({ status: accepting ? 'starting' : 'stopping' });
  });

  const gate: RequestHandler = (req, res, next) => {
    if (!api)
      return next(new AppError(503, 'starting', 'the server is starting; try again in a moment'));
    api(req, res, next);
  };
  app.use(gate);

  // Browser assets: the widget (embedded by other sites) and the agents' app.
  app.get('/widget.js', (_req, res, next) => {
    const file = join(frontend.distDir, 'widget/widget.js');
    if (!existsSync(file))
      return next(new AppError(503, 'not_built', 'the widget is not built; run npm run build'));
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.sendFile(file);
  });
  app.get('/demo', (_req, res) => res.sendFile(frontend.demoPage));
  const ui = join(frontend.distDir, 'inbox-ui');
  app.use(
    express.static(ui, {
      index: false,
      maxAge: '1h',
      setHeaders: (res, path) =>
        path.includes('/assets/') &&
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  );
  app.get(/^\/(?!api\/|webhooks\/|media\/|socket\.io\/).*/, (_req, res, next) => {
    const index = join(ui, 'index.html');
    if (!existsSync(index))
      return next(new AppError(503, 'not_built', 'the inbox app is not built; run npm run build'));
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });

  app.use((req, _res, next) =>
    next(new AppError(404, 'not_found', `no route for ${req.method} ${req.path}`)),
  );
  app.use(errorHandler(logger));
  return {
    app,
    ready: (router) => {
      api = router;
    },
    stopping: () => {
      accepting = false;
    },
  };
}

export function apiRouter(parts: {
  authRoutes: Router;
  protectedRoutes: Router[];
  requireAuth: RequestHandler;
  webhooks: Router;
  /** `/media/:id?exp&sig`: signed public links to stored files (MMS, voice prompts). */
  media?: Router;
  /** `POST /api/messages`: the Bot Framework channel, authenticated its own way. */
  botFramework?: Router;
  openApi: unknown;
}): Router {
  const router = Router();
  router.use('/webhooks', parts.webhooks);
  if (parts.botFramework) router.use(parts.botFramework);
  if (parts.media) router.use('/media', parts.media);
  const v1 = Router();
  v1.use(express.json({ limit: '1mb', strict: true }));
  v1.get('/openapi.json', (_req, res) => res.json(parts.openApi));
  v1.use(parts.authRoutes);
  v1.use(parts.requireAuth, ...parts.protectedRoutes);
  v1.use((req, _res, next) =>
    next(new AppError(404, 'not_found', `no route for ${req.method} /api/v1${req.path}`)),
  );
  router.use('/api/v1', v1);
  return router;
}
