import { Router } from 'express';
import { items, op, ref, type Json } from './openapi-kit';
import { parse, principalOf } from './http';
import { idParam } from './schemas';
import {
  churnQuery,
  clvFitBody,
  crmSettingsBody,
  mergeBody,
  mergeParams,
  ordersBody,
  reportQuery,
} from './crm.schemas';
import { AppError } from '../errors';
import type { OrderService } from '../crm/order.service';
import type { ClvService } from '../crm/clv.service';
import type { MergeService } from '../crm/merge.service';
import type { ReportService } from '../crm/report.service';
import type { ChurnService } from '../crm/churn.service';
import type { CrmSettingsStore } from '../crm/crm-settings';
import type { BusinessHoursService } from '../business-hours/business-hours.service';
import type { UnitOfWork } from '../db/unit-of-work';
import { audit } from '../audit/audit';
import { parseOrderTime } from '../crm/order-input';

export function crmRoutes(deps: {
  orders: OrderService;
  clv: ClvService;
  merges: MergeService;
  reports: ReportService;
  churn: ChurnService;
  settings: CrmSettingsStore;
  hours: BusinessHoursService;
  uow: UnitOfWork;
}): Router {
  const router = Router();

  router.post('/orders', async (req, res) => {
    const { orders } = parse(ordersBody, req.body);
    res.json(await deps.orders.submit(principalOf(req), orders));
  });
  router.get('/contacts/:id/orders', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await deps.orders.forContact(principalOf(req), id));
  });

  router.post('/analytics/clv/fit', async (req, res) => {
    const { asOf } = parse(clvFitBody, req.body ?? {});
    res.json(await deps.clv.fitOnDemand(principalOf(req), asOf));
  });
  router.get('/analytics/clv', async (_req, res) => {
    res.json({ fit: await deps.clv.latest() });
  });

  router.get('/crm/settings', async (_req, res) => {
    res.json(await deps.settings.get());
  });
  router.put('/crm/settings', async (req, res) => {
    const principal = principalOf(req);
    if (principal.role !== 'admin')
      throw new AppError(403, 'forbidden', 'only an admin may do this');
    const settings = parse(crmSettingsBody, req.body);
    await deps.uow.run(async (tx) => {
      const before = await deps.settings.get(tx);
      await deps.settings.set(tx, settings);
      if (JSON.stringify(before.tiers) !== JSON.stringify(settings.tiers))
        await deps.clv.retier(tx, settings.tiers);
      await audit(tx, { type: 'user', id: principal.id }, 'crm_settings', principal.id, 'update', {
        from: before,
        to: settings,
      });
    });
    res.json(settings);
  });

  router.post('/contacts/:id/merge', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const { contactId } = parse(mergeBody, req.body);
    res.json(await deps.merges.merge(principalOf(req), id, contactId));
  });
  router.get('/contacts/:id/merges', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json({ items: await deps.merges.list(principalOf(req), id) });
  });
  router.post('/contacts/:id/merges/:mergeId/undo', async (req, res) => {
    const { id, mergeId } = parse(mergeParams, req.params);
    res.json(await deps.merges.undo(principalOf(req), id, mergeId));
  });

  router.get('/analytics/churn-risk', async (req, res) => {
    const { limit } = parse(churnQuery, req.query);
    res.json({ items: await deps.churn.list(principalOf(req), limit) });
  });

  router.get('/reports/summary', async (req, res) => {
    const q = parse(reportQuery, req.query);
    const from = parseOrderTime(q.from);
    const to = parseOrderTime(q.to);
    if (!from || !to || from >= to)
      throw new AppError(400, 'validation_failed', 'from and to must be dates with from before to');
    const calendar = await deps.hours.calendar(q.businessHoursId ?? null);
    res.json(
      await deps.reports.summary(
        principalOf(req),
        {
          from,
          to,
          inboxId: q.inboxId,
          teamId: q.teamId,
          assigneeId: q.assigneeId,
          timeZone: q.timeZone ?? 'UTC',
        },
        calendar,
      ),
    );
  });

  return router;
}

export const orderResult: Json = {
  type: 'object',
  required: ['created', 'updated', 'errors'],
  properties: {
    created: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    contactsCreated: { type: 'integer' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
};

const fitResult: Json = {
  type: 'object',
  required: ['model', 'asOf', 'timeUnitDays', 'customers', 'params'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    model: { const: 'bg-nbd+gamma-gamma' },
    asOf: { type: 'string', format: 'date' },
    timeUnitDays: { type: 'integer', description: 'α is in this unit (1: days)' },
    horizonDays: { type: 'integer' },
    customers: { type: 'integer' },
    repeatCustomers: { type: 'integer' },
    params: {
      type: 'object',
      properties: Object.fromEntries(
        ['r', 'alpha', 'a', 'b', 'p', 'q', 'gamma'].map((k) => [k, { type: 'number' }]),
      ),
    },
    logLikelihood: {
      type: 'object',
      properties: { bgNbd: { type: 'number' }, gammaGamma: { type: 'number' } },
    },
    fittedAt: { type: 'string', format: 'date-time' },
  },
};

const percentiles: Json = {
  type: 'object',
  properties: {
    count: { type: 'integer' },
    median: { type: ['number', 'null'], description: 'seconds in business hours' },
    p90: { type: ['number', 'null'] },
  },
};

const summaryReport: Json = {
  type: 'object',
  required: [
    'from',
    'to',
    'conversations',
    'firstResponse',
    'resolution',
    'sla',
    'complaints',
    'csat',
  ],
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    timeZone: { type: 'string' },
    conversations: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        byChannel: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              channel: { type: 'string' },
              conversations: { type: 'integer' },
              messagesIn: { type: 'integer' },
              messagesOut: { type: 'integer' },
            },
          },
        },
        byHour: {
          type: 'array',
          items: {
            type: 'object',
            properties: { hour: { type: 'integer' }, messagesIn: { type: 'integer' } },
          },
        },
      },
    },
    firstResponse: percentiles,
    resolution: percentiles,
    sla: {
      type: 'object',
      properties: {
        withPolicy: { type: 'integer' },
        breached: { type: 'integer' },
        compliance: { type: ['number', 'null'] },
      },
    },
    complaints: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        byLevel: { type: 'array', items: { type: 'object' } },
        climbed: { type: 'integer' },
        topCategories: { type: 'array', items: { type: 'object' } },
      },
    },
    csat: {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        average: { type: ['number', 'null'] },
        distribution: { type: 'array', items: { type: 'object' } },
      },
    },
    customers: { type: 'object' },
    forecast: { type: ['object', 'null'] },
  },
};

export const crmPaths: Record<string, Json> = {
  '/orders': {
    post: op(
      'Add or update orders (≤ 10,000), idempotent by externalId; an unknown identity creates ' +
        'its contact; refunds are negative amounts; a bad row is reported by index and skipped',
      { body: ordersBody, response: [200, 'what was written', orderResult] },
    ),
  },
  '/contacts/{id}/orders': {
    get: op("The contact's orders, newest first, with their total", {
      path: true,
      response: [
        200,
        'orders',
        {
          type: 'object',
          properties: {
            items: { type: 'array', items: { type: 'object' } },
            total: { type: 'string' },
            count: { type: 'integer' },
          },
        },
      ],
    }),
  },
  '/analytics/clv/fit': {
    post: op(
      'Fit BG/NBD and Gamma-Gamma on the orders up to asOf (inclusive; default today) and ' +
        "refresh every contact's clv; 422 too_few_customers keeps the last fit",
      { body: clvFitBody, response: [200, 'the fit', fitResult] },
    ),
  },
  '/analytics/clv': {
    get: op('The latest fit', {
      response: [200, 'the fit or null', { type: 'object', properties: { fit: fitResult } }],
    }),
  },
  '/crm/settings': {
    get: op('Default currency, CLV horizon, value-tier thresholds', {
      response: [200, 'settings', { type: 'object' }],
    }),
    put: op('Change them (admin); new tier thresholds re-tier contacts at once', {
      body: crmSettingsBody,
      response: [200, 'settings', { type: 'object' }],
    }),
  },
  '/contacts/{id}/merge': {
    post: op(
      'Merge another contact into this one: its identities, conversations, complaints, orders, ' +
        'attributes and notes move here (audited; undo within a day)',
      { path: true, body: mergeBody, response: [200, 'the merged contact', ref('Contact')] },
    ),
  },
  '/contacts/{id}/merges': {
    get: op('Merges into this contact, with until when each can be undone', {
      path: true,
      response: [200, 'merges', items('Merge')],
    }),
  },
  '/contacts/{id}/merges/{mergeId}/undo': {
    post: op('Undo a merge (within a day)', {
      path: ['id', 'mergeId'],
      response: [200, 'the contact', ref('Contact')],
    }),
  },
  '/analytics/churn-risk': {
    get: op(
      'Valuable customers (by predicted value) who may be leaving, each with its reasons: ' +
        'low_probability_alive, open_complaint, bad_csat (1–2 in 90 days), gone_quiet (silent ' +
        'for more than twice their usual gap); conversationId opens their latest conversation',
      {
        query: churnQuery,
        response: [
          200,
          'rows',
          { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } },
        ],
      },
    ),
  },
  '/reports/summary': {
    get: op(
      'Counts and times per channel, hour, SLA, complaint levels, CSAT, customer segments and ' +
        'the purchase forecast, for conversations created in [from, to)',
      { query: reportQuery, response: [200, 'the report', summaryReport] },
    ),
  },
};
