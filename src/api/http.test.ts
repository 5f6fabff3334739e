import { describe, expect, it } from 'vitest';
import type { NextFunction, Request, Response } from 'express';
import { createLogger } from '../logger';
import { AppError } from '../errors';
import { errorHandler } from './http';

function run(err: unknown) {
  let status = 0;
  let body: unknown;
  const res = {
    headersSent: false,
    status(s: number) {
      status = s;
      return this;
    },
    json(b: unknown) {
      body = b;
      return this;
    },
  } as unknown;
  const req = { method: 'GET', originalUrl: '/x', requestId: 'req-12345678' } as unknown;
  errorHandler(createLogger('silent'))(
    err,
    req as Request,
    res as Response,
    (() => {}) as NextFunction,
  );
  return { status, body };
}

describe('errorHandler', () => {
  it('answers a bug with 500 and the request id under which the log holds the details', () => {
    expect(run(new TypeError('x is undefined'))).toEqual({
      status: 500,
      body: {
        error: {
          code: 'internal',
          message: 'something went wrong on our side',
          requestId: 'req-12345678',
        },
      },
    });
  });

  it('answers a refusal with its own status and code, without a request id', () => {
    expect(run(new AppError(409, 'conflict', 'already there'))).toEqual({
      status: 409,
      body: { error: { code: 'conflict', message: 'already there' } },
    });
  });
});
