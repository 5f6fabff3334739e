import { Router } from 'express';
import * as schemas from './schemas';
import { op, ref, type Json } from './openapi-kit';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AuthService } from '../auth/auth.service';
import type { UserService } from '../admin/user.service';
import type { EventService } from '../events/event.service';
import { AppError } from '../errors';
import { loginBody, mePatch } from './schemas';
import { authenticate, parse, principalOf, SESSION_COOKIE } from './http';

export function authRoutes(deps: {
  auth: AuthService;
  users: UserService;
  events: EventService;
  publicUrl: string;
  tokenTtlHours: number;
  loginLimit: number;
}): Router {
  const router = Router();
  const secure = deps.publicUrl.startsWith('https:');
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: deps.loginLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Per address and account, so one attacker cannot lock a colleague out from elsewhere.
    keyGenerator: (req) =>
      `${ipKeyGenerator(req.ip ?? '')}|${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`,
    handler: (_req, res) => {
      res.status(429).json({
        error: { code: 'rate_limited', message: 'too many sign-in attempts; wait a minute' },
      });
    },
  });

  router.post('/auth/login', limiter, async (req, res) => {
    const body = parse(loginBody, req.body);
    const { token, user } = await deps.auth.login(
      body.email,
      body.password,
      req.headers['user-agent'],
    );
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure,
      path: '/',
      maxAge: deps.tokenTtlHours * 3600_000,
    });
    res.json({ token, user });
  });

  const requireAuth = authenticate(deps.auth, deps.publicUrl);

  router.post('/auth/logout', requireAuth, async (req, res) => {
    const principal = principalOf(req);
    await deps.auth.revoke(principal.tokenId);
    deps.events.emit('auth.token-revoked', { tokenId: principal.tokenId });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/auth/me', requireAuth, async (req, res) => {
    res.json({ user: await deps.auth.me(principalOf(req).id) });
  });

  router.patch('/auth/me', requireAuth, async (req, res) => {
    const principal = principalOf(req);
    const body = parse(mePatch, req.body);
    if (body.password && !(await deps.auth.checkPassword(principal.id, body.currentPassword))) {
      throw new AppError(400, 'validation_failed', 'currentPassword: is wrong');
    }
    const user = await deps.users.updateUser(principal, principal.id, {
      name: body.name,
      locale: body.locale,
      password: body.password,
      available: body.available,
    });
    res.json({ user });
  });

  return router;
}

/** OpenAPI paths of these routes (composed in openapi.ts). */
export const authPaths: Record<string, Json> = {
  '/auth/login': {
    post: op('Sign in; also sets the httpOnly sb_session cookie', {
      body: schemas.loginBody,
      auth: false,
      response: [
        200,
        'token and user',
        { type: 'object', properties: { token: { type: 'string' }, user: ref('User') } },
      ],
    }),
  },
  '/auth/logout': { post: op('Revoke the token in use', { response: [204, 'signed out'] }) },
  '/auth/me': {
    get: op('The signed-in user', {
      response: [200, 'user', { type: 'object', properties: { user: ref('User') } }],
    }),
    patch: op('Change own name, locale or password', {
      body: schemas.mePatch,
      response: [200, 'user', { type: 'object', properties: { user: ref('User') } }],
    }),
  },
};
