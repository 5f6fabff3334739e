import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { AuthService, Principal } from '../auth/auth.service';
import type { Logger } from '../logger';
import { AppError, unauthorized } from '../errors';
import { cleanDeep } from '../text/clean';

export const SESSION_COOKIE = 'sb_session';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    authVia?: 'bearer' | 'cookie';
    /** Names this request in the log and in a 5xx error body. */
    requestId?: string;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function describeZod(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.join('.');
      if (i.code === 'unrecognized_keys')
        return `unknown field${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}`;
      return where ? `${where}: ${i.message}` : i.message;
    })
    .join('; ');
}

/**
 * Validates what came from outside, after cleaning its text once (NUL removed, broken
 * surrogates replaced: src/text/clean.ts). A refusal names the field.
 */
export function parse<T extends z.ZodTypeAny>(schema: T, value: unknown): z.infer<T> {
  const forbidden = forbiddenKeyPath(value);
  if (forbidden)
    throw new AppError(400, 'validation_failed', `${forbidden}: this key is not allowed`);
  const result = schema.safeParse(cleanDeep(value ?? {}));
  if (!result.success) throw new AppError(400, 'validation_failed', describeZod(result.error));
  return result.data;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Where a key that means something to JavaScript objects hides in a body, if anywhere. */
export function forbiddenKeyPath(value: unknown, path = '', depth = 0): string | undefined {
  if (!value || typeof value !== 'object' || depth > 32) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return here;
    const found = forbiddenKeyPath(inner, here, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

/** Bearer header or session cookie; cookie sessions must come from our own origin to write. */
export function authenticate(auth: AuthService, publicUrl: string): RequestHandler {
  const ownOrigin = new URL(publicUrl).origin;
  return async (req: Request, _res: Response, next: NextFunction) => {
    const header = req.headers.authorization;
    let token: string | undefined;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) return next(unauthorized('Authorization must be "Bearer <token>"'));
      token = match[1];
      req.authVia = 'bearer';
    } else {
      token = readCookie(req.headers.cookie, SESSION_COOKIE);
      req.authVia = 'cookie';
    }
    if (!token) return next(unauthorized());
    const principal = await auth.authenticate(token);
    if (!principal) return next(unauthorized('the token is invalid, expired or revoked'));
    if (req.authVia === 'cookie' && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      if (!isSameOrigin(req, ownOrigin)) {
        return next(
          new AppError(403, 'csrf_rejected', 'cross-site requests are refused; use a bearer token'),
        );
      }
    }
    req.principal = principal;
    next();
  };
}

function isSameOrigin(req: Request, ownOrigin: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'same-origin') return true;
  if (site && site !== 'none') return false;
  const origin = req.headers.origin;
  if (!origin) return false;
  const host = req.headers.host;
  return (
    origin === ownOrigin ||
    (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`))
  );
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let status = 500;
    let code = 'internal';
    let message = 'something went wrong on our side';
    if (err instanceof AppError) {
      ({ status, code, message } = err);
    } else if (isHttpError(err) && err.type === 'entity.parse.failed') {
      status = 400;
      code = 'bad_json';
      message = 'the body is not valid JSON';
    } else if (isHttpError(err) && err.type === 'entity.too.large') {
      status = 413;
      code = 'payload_too_large';
      message = `the body is larger than ${err.limit ?? 'the limit'} bytes`;
    } else if (isHttpError(err) && typeof err.status === 'number' && err.status < 500) {
      status = err.status;
      code = err.type ? err.type.replace(/\W+/g, '_') : 'bad_request';
      message = err.message;
    } else {
      logger.error(
        { err, method: req.method, url: req.originalUrl, requestId: req.requestId },
        'request failed',
      );
    }
    if (res.headersSent) return;
    // A 5xx is a bug: the body carries the id under which the log holds the details.
    res.status(status).json({
      error: {
        code,
        message,
        ...(status >= 500 && req.requestId ? { requestId: req.requestId } : {}),
      },
    });
  };
}

function isHttpError(
  err: unknown,
): err is { type?: string; status?: number; limit?: number; message: string } {
  return typeof err === 'object' && err !== null && 'status' in err;
}
