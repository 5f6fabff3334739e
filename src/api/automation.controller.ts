import { Router } from 'express';
import { items, op, ref, type Json } from './openapi-kit';
import type { BusinessHoursService } from '../business-hours/business-hours.service';
import type { SlaPolicyService } from '../sla/sla-policy.service';
import type { RuleService } from '../rules/rule.service';
import type { WebhookService } from '../webhooks/webhook.service';
import { FIELDS, RULE_EVENTS, ruleSchema, actionSchema } from '../rules/engine';
import { notFound } from '../errors';
import { idParam } from './schemas';
import {
  businessHoursBody,
  deliveryParams,
  dueQuery,
  slaPolicyBody,
  webhookBody,
} from './ladder.schemas';
import { parse, principalOf } from './http';

/** What the rule editor offers: events, fields with their types, action types. */
const ruleVocabulary = {
  events: RULE_EVENTS,
  fields: FIELDS,
  actions: actionSchema.options.map((o) => o.shape.type.value),
};

/** Business hours, SLA policies, rules and outgoing webhooks: what admins set up. */
export function automationRoutes(deps: {
  hours: BusinessHoursService;
  policies: SlaPolicyService;
  rules: RuleService;
  webhooks: WebhookService;
}): Router {
  const { hours, policies, rules, webhooks } = deps;
  const router = Router();

  router.get('/business-hours', async (_req, res) => {
    res.json({ items: await hours.list() });
  });
  router.post('/business-hours', async (req, res) => {
    res
      .status(201)
      .json(await hours.save(principalOf(req), null, parse(businessHoursBody, req.body)));
  });
  router.get('/business-hours/:id', async (req, res) => {
    res.json(await hours.get(parse(idParam, req.params).id));
  });
  router.put('/business-hours/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await hours.save(principalOf(req), id, parse(businessHoursBody, req.body)));
  });
  router.delete('/business-hours/:id', async (req, res) => {
    await hours.remove(principalOf(req), parse(idParam, req.params).id);
    res.status(204).end();
  });
  router.get('/business-hours/:id/due', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const { from, minutes } = parse(dueQuery, req.query);
    res.json(await hours.due(id, new Date(from), minutes));
  });

  router.get('/sla-policies', async (_req, res) => {
    res.json({ items: await policies.list() });
  });
  router.post('/sla-policies', async (req, res) => {
    const body = parse(slaPolicyBody.required({ name: true }), req.body);
    res.status(201).json(await policies.save(principalOf(req), null, body));
  });
  router.get('/sla-policies/:id', async (req, res) => {
    res.json(await policies.get(parse(idParam, req.params).id));
  });
  router.patch('/sla-policies/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await policies.save(principalOf(req), id, parse(slaPolicyBody, req.body)));
  });
  router.delete('/sla-policies/:id', async (req, res) => {
    await policies.remove(principalOf(req), parse(idParam, req.params).id);
    res.status(204).end();
  });

  router.get('/rules', async (_req, res) => {
    res.json({ items: await rules.list(), vocabulary: ruleVocabulary });
  });
  router.post('/rules', async (req, res) => {
    res.status(201).json(await rules.save(principalOf(req), null, parse(ruleSchema, req.body)));
  });
  router.patch('/rules/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const current = (await rules.list()).find((r) => r.id === id);
    if (!current) throw notFound('rule');
    // A change is the whole rule again, validated as a whole.
    const patch = parse(ruleSchema.partial(), req.body);
    const merged = parse(ruleSchema, {
      name: current.name,
      event: current.event,
      conditions: current.conditions,
      actions: current.actions,
      enabled: current.enabled,
      options: current.options,
      position: current.position,
      ...patch,
    });
    res.json(await rules.save(principalOf(req), id, merged));
  });
  router.delete('/rules/:id', async (req, res) => {
    await rules.remove(principalOf(req), parse(idParam, req.params).id);
    res.status(204).end();
  });
  router.get('/rules/:id/versions', async (req, res) => {
    res.json({ items: await rules.versions(principalOf(req), parse(idParam, req.params).id) });
  });

  router.get('/webhooks', async (req, res) => {
    res.json({ items: await webhooks.list(principalOf(req)) });
  });
  router.post('/webhooks', async (req, res) => {
    const body = parse(webhookBody.required({ name: true, url: true, events: true }), req.body);
    res.status(201).json(await webhooks.save(principalOf(req), null, body));
  });
  router.patch('/webhooks/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await webhooks.save(principalOf(req), id, parse(webhookBody, req.body)));
  });
  router.delete('/webhooks/:id', async (req, res) => {
    await webhooks.remove(principalOf(req), parse(idParam, req.params).id);
    res.status(204).end();
  });
  router.get('/webhooks/:id/deliveries', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json({ items: await webhooks.deliveries(principalOf(req), id) });
  });
  router.post('/webhooks/:id/deliveries/:deliveryId/redeliver', async (req, res) => {
    const { id, deliveryId } = parse(deliveryParams, req.params);
    await webhooks.redeliver(principalOf(req), id, deliveryId);
    res.status(202).json({ ok: true });
  });

  return router;
}

export const automationPaths: Record<string, Json> = {
  '/business-hours': {
    get: op('Business-hours calendars', { response: [200, 'calendars', items('BusinessHours')] }),
    post: op('Create a calendar (admin); several ranges per day allowed', {
      body: businessHoursBody,
      response: [201, 'calendar', ref('BusinessHours')],
    }),
  },
  '/business-hours/{id}': {
    get: op('One calendar', { path: true, response: [200, 'calendar', ref('BusinessHours')] }),
    put: op('Replace a calendar (admin); open SLA clocks are re-timed', {
      path: true,
      body: businessHoursBody,
      response: [200, 'calendar', ref('BusinessHours')],
    }),
    delete: op('Delete a calendar (admin)', { path: true, response: [204, 'deleted'] }),
  },
  '/business-hours/{id}/due': {
    get: op('When `minutes` of open time after `from` end (409 if the calendar is never open)', {
      path: true,
      query: dueQuery,
      response: [
        200,
        'due time',
        { type: 'object', properties: { dueAt: { type: 'string', format: 'date-time' } } },
      ],
    }),
  },
  '/sla-policies': {
    get: op('SLA policies in the order they are tried', {
      response: [200, 'policies', items('SlaPolicy')],
    }),
    post: op('Create an SLA policy (admin); appliesTo empty = every conversation', {
      body: slaPolicyBody,
      response: [201, 'policy', ref('SlaPolicy')],
    }),
  },
  '/sla-policies/{id}': {
    get: op('One policy', { path: true, response: [200, 'policy', ref('SlaPolicy')] }),
    patch: op('Change a policy (admin); open conversations are re-timed by a job', {
      path: true,
      body: slaPolicyBody,
      response: [200, 'policy', ref('SlaPolicy')],
    }),
    delete: op('Delete a policy (admin)', { path: true, response: [204, 'deleted'] }),
  },
  '/rules': {
    get: op('Rules in order (the shipped ladder included) and the editor’s vocabulary', {
      response: [200, 'rules', items('Rule')],
    }),
    post: op('Create a rule (admin); validated', {
      body: ruleSchema,
      response: [201, 'rule', ref('Rule')],
    }),
  },
  '/rules/{id}': {
    patch: op('Change a rule (admin): a new version, the old one kept', {
      path: true,
      body: ruleSchema.partial(),
      response: [200, 'rule', ref('Rule')],
    }),
    delete: op('Delete a rule (admin)', { path: true, response: [204, 'deleted'] }),
  },
  '/rules/{id}/versions': {
    get: op('Earlier versions of a rule (admin)', {
      path: true,
      response: [200, 'versions', { type: 'object' }],
    }),
  },
  '/webhooks': {
    get: op('Outgoing webhooks with their last delivery (admin)', {
      response: [200, 'webhooks', items('Webhook')],
    }),
    post: op(
      'Subscribe a URL to events (admin). The answer carries the signing secret, once. Private ' +
        'addresses are refused unless allowPrivate',
      { body: webhookBody, response: [201, 'webhook', ref('Webhook')] },
    ),
  },
  '/webhooks/{id}': {
    patch: op('Change a webhook (admin); rotateSecret answers with a new secret', {
      path: true,
      body: webhookBody,
      response: [200, 'webhook', ref('Webhook')],
    }),
    delete: op('Delete a webhook (admin)', { path: true, response: [204, 'deleted'] }),
  },
  '/webhooks/{id}/deliveries': {
    get: op('The last 50 deliveries with their last response (admin)', {
      path: true,
      response: [200, 'deliveries', { type: 'object' }],
    }),
  },
  '/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
    post: op('Send a delivery again (admin)', {
      path: ['id', 'deliveryId'],
      response: [202, 'queued'],
    }),
  },
};
