import { Router, type RequestHandler } from 'express';
import { op, type Json } from './openapi-kit';
import { parse, principalOf } from './http';
import { idParam } from './schemas';
import {
  currenciesBody,
  orderImportQuery,
  startImportBody,
  uploadQuery,
} from './order-import.schemas';
import { orderResult } from './crm.controller';
import { AppError } from '../errors';
import { audit } from '../audit/audit';
import type { OrderImportService } from '../crm/order-import.service';
import type { CurrencySettingsStore } from '../crm/currency-settings';
import type { UnitOfWork } from '../db/unit-of-work';

/** About 200,000 order lines; anything bigger is refused before it is read (413). */
export const MAX_CSV_BYTES = 64 * 1024 * 1024;

/**
 * The raw body as UTF-8 text, up to `limit` bytes. A declared or streamed size over it is
 * answered 413 at once and the connection closed: the rest of the upload is never read (the
 * stock body parser would read, and discard, all of it before answering).
 */
export function limitedText(limit: number): RequestHandler {
  return (req, res, next) => {
    let settled = false;
    const refuse = () => {
      settled = true;
      res.set('connection', 'close');
      res.on('finish', () => req.destroy());
      next(new AppError(413, 'payload_too_large', `the file is larger than ${limit} bytes`));
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) return refuse();
    // Sent as JSON, the body is already read (and not a file): the route says so.
    if (req.readableEnded) return next();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        req.pause();
        refuse();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      try {
        req.body = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
        next();
      } catch {
        next(new AppError(400, 'invalid_csv', 'the file is not UTF-8 text'));
      }
    });
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      next(err);
    });
  };
}

const bodyText = (body: unknown): string => {
  if (typeof body !== 'string')
    throw new AppError(400, 'invalid_csv', 'send the CSV file as the body');
  return body;
};

/** CSV order imports (stored, run by a job) and the accepted currencies. */
export function orderImportRoutes(deps: {
  imports: OrderImportService;
  currencies: CurrencySettingsStore;
  uow: UnitOfWork;
}): Router {
  const router = Router();

  router.post('/orders/import', limitedText(MAX_CSV_BYTES), async (req, res) => {
    const { dryRun, ...mapping } = parse(orderImportQuery, req.query);
    res.json(
      await deps.imports.importNow(
        principalOf(req),
        bodyText(req.body),
        mapping,
        dryRun === 'true',
      ),
    );
  });
  router.post('/orders/imports', limitedText(MAX_CSV_BYTES), async (req, res) => {
    const { fileName } = parse(uploadQuery, req.query);
    res.status(201).json(await deps.imports.upload(principalOf(req), bodyText(req.body), fileName));
  });
  router.get('/orders/imports', async (req, res) => {
    res.json({ items: await deps.imports.list(principalOf(req)) });
  });
  router.get('/orders/imports/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await deps.imports.get(principalOf(req), id));
  });
  router.post('/orders/imports/:id/start', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const { mapping, dryRun } = parse(startImportBody, req.body);
    res.status(202).json(await deps.imports.start(principalOf(req), id, mapping, dryRun));
  });

  router.get('/crm/currencies', async (_req, res) => {
    res.json(await deps.currencies.get());
  });
  router.put('/crm/currencies', async (req, res) => {
    const principal = principalOf(req);
    if (principal.role !== 'admin')
      throw new AppError(403, 'forbidden', 'only an admin may do this');
    const settings = parse(currenciesBody, req.body);
    await deps.uow.run(async (tx) => {
      const before = await deps.currencies.get(tx);
      await deps.currencies.set(tx, settings);
      await audit(
        tx,
        { type: 'user', id: principal.id },
        'crm_currencies',
        principal.id,
        'update',
        {
          from: before,
          to: settings,
        },
      );
    });
    res.json(settings);
  });
  return router;
}

const rowError: Json = {
  type: 'object',
  properties: {
    row: { type: 'integer', description: 'the record in the file, the header being row 1' },
    index: { type: 'integer', description: '0-based order index' },
    field: { type: 'string' },
    code: { type: 'string' },
    value: { type: 'string' },
    message: { type: 'string' },
  },
};

const orderImport: Json = {
  type: 'object',
  required: ['id', 'status', 'totalRows', 'rowsDone', 'errorCount'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    fileName: { type: 'string' },
    status: {
      enum: ['draft', 'queued', 'validating', 'importing', 'checked', 'done', 'failed'],
      description:
        'draft: uploaded, waiting for its mapping; checked: a dry run finished; failed: nothing was imported',
    },
    dryRun: { type: 'boolean' },
    bytes: { type: 'integer' },
    header: { type: 'array', items: { type: 'string' } },
    mapping: { type: ['object', 'null'] },
    proposedMapping: { type: 'object', description: 'fields mapped from the header names' },
    totalRows: { type: 'integer' },
    rowsDone: { type: 'integer' },
    errorCount: { type: 'integer', description: 'exact; errors holds the first 1,000' },
    errors: { type: 'array', items: rowError },
    created: { type: ['integer', 'null'] },
    updated: { type: ['integer', 'null'] },
    unchanged: { type: ['integer', 'null'] },
    contactsCreated: { type: ['integer', 'null'] },
    failure: { type: ['string', 'null'], description: 'invalid_rows, or what stopped it' },
    createdBy: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

export const orderImportPaths: Record<string, Json> = {
  '/orders/import': {
    post: op(
      'Import orders from a CSV file in this request (the raw body, up to 64 MB / 200,000 rows; ' +
        'BOM, `,` `;` or tab, Persian digits, thousands separators, ISO, DD.MM.YYYY, DD/MM/YYYY ' +
        'or Jalali dates). The query maps header names to fields. dryRun=true checks every row ' +
        'and reports per-row errors; an import with any bad row writes nothing (422 ' +
        'invalid_rows). Recorded like a background import (importId)',
      {
        query: orderImportQuery,
        response: [
          200,
          'what was (or would be) written',
          {
            ...orderResult,
            properties: {
              ...(orderResult.properties as Json),
              rows: { type: 'integer' },
              dryRun: { type: 'boolean' },
              importId: { type: 'string', format: 'uuid' },
            },
          },
        ],
      },
    ),
  },
  '/orders/imports': {
    post: op(
      'Upload a CSV file of orders (raw body, ≤ 64 MB, 413 beyond without reading the rest): ' +
        'stored as a draft with its header and a proposed column mapping; a broken CSV is 400',
      { query: uploadQuery, response: [201, 'the draft import', orderImport] },
    ),
    get: op('The latest 50 imports (without their row errors)', {
      response: [
        200,
        'imports',
        { type: 'object', properties: { items: { type: 'array', items: orderImport } } },
      ],
    }),
  },
  '/orders/imports/{id}': {
    get: op('An import: status, progress (rowsDone of totalRows), counts, row errors', {
      path: true,
      response: [200, 'the import', orderImport],
    }),
  },
  '/orders/imports/{id}/start': {
    post: op(
      'Queue a dry run (checks every row: per-row errors and what an import would do) or the ' +
        'import of a draft or checked file. The job stages checked rows and writes them in one ' +
        'transaction; any bad row fails it and writes nothing. 409 when already started',
      { path: true, body: startImportBody, response: [202, 'the queued import', orderImport] },
    ),
  },
  '/crm/currencies': {
    get: op('Accepted currencies besides the base one, with their rates to it', {
      response: [200, 'settings', { type: 'object' }],
    }),
    put: op(
      'Set them (admin). No rates: any ISO 4217 currency is stored as sent. With rates: an ' +
        'order in a listed currency is converted into the base currency (what was sent is kept ' +
        'in originalAmount/originalCurrency) and any other currency is a per-row error',
      { body: currenciesBody, response: [200, 'settings', { type: 'object' }] },
    ),
  },
};
