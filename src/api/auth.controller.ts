import { Router } from 'express';
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
    });
    res.json({ user });
  });

  return router;
}
