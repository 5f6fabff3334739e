import { Router } from 'express';
import { op, ref, type Json } from './openapi-kit';
import { parse, principalOf } from './http';
import { idParam } from './schemas';
import { acceptBody, startConversationBody, suggestionQuery } from './customers.schemas';
import type { MergeSuggestionService } from '../crm/merge-suggestion.service';
import type { OutreachService } from '../crm/outreach.service';

/** Merge suggestions and starting a conversation with a customer (the Customers screen). */
export function customerRoutes(deps: {
  suggestions: MergeSuggestionService;
  outreach: OutreachService;
}): Router {
  const router = Router();

  router.get('/crm/merge-suggestions', async (req, res) => {
    const { limit } = parse(suggestionQuery, req.query);
    res.json({ items: await deps.suggestions.list(principalOf(req), limit) });
  });
  router.post('/crm/merge-suggestions/refresh', async (req, res) => {
    res.json(await deps.suggestions.refreshOnDemand(principalOf(req)));
  });
  router.post('/crm/merge-suggestions/:id/accept', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const { targetId } = parse(acceptBody, req.body ?? {});
    res.json(await deps.suggestions.accept(principalOf(req), id, targetId));
  });
  router.post('/crm/merge-suggestions/:id/dismiss', async (req, res) => {
    const { id } = parse(idParam, req.params);
    await deps.suggestions.dismiss(principalOf(req), id);
    res.status(204).end();
  });
  router.post('/contacts/:id/conversations', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const input = parse(startConversationBody, req.body ?? {});
    const { conversation, created } = await deps.outreach.start(principalOf(req), id, input);
    res.status(created ? 201 : 200).json(conversation);
  });

  return router;
}

const reason: Json = {
  type: 'object',
  required: ['kind', 'a', 'b', 'similarity'],
  properties: {
    kind: { enum: ['email', 'phone', 'telegram_phone', 'name'] },
    a: { type: 'string', description: 'the value as the first contact has it' },
    b: { type: 'string', description: 'the value as the second contact has it' },
    similarity: { type: 'number', description: 'name similarity 0–1; 1 for the exact kinds' },
  },
};

const suggestion: Json = {
  type: 'object',
  required: ['id', 'score', 'reasons', 'contacts'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    score: { type: 'number', description: '0–1: how sure, combining the reasons' },
    reasons: { type: 'array', items: reason },
    contacts: { type: 'array', items: ref('Contact'), minItems: 2, maxItems: 2 },
    computedAt: { type: 'string', format: 'date-time' },
  },
};

export const customerPaths: Record<string, Json> = {
  '/crm/merge-suggestions': {
    get: op(
      'Open merge suggestions, surest first: pairs of contacts that are probably one person ' +
        '(one e-mail or phone in two forms, a phone a Telegram contact shared, names alike in ' +
        'Latin, Cyrillic or Persian script); an agent sees the pairs whose two contacts they may see',
      {
        query: suggestionQuery,
        response: [
          200,
          'suggestions',
          { type: 'object', properties: { items: { type: 'array', items: suggestion } } },
        ],
      },
    ),
  },
  '/crm/merge-suggestions/refresh': {
    post: op(
      'Look for pairs now, over every contact (supervisors and admins; the job does it nightly ' +
        'and for changed contacts a few seconds after a change)',
      {
        response: [
          200,
          'what the pass found',
          {
            type: 'object',
            properties: {
              mode: { enum: ['full', 'incremental'] },
              found: { type: 'integer' },
              open: { type: 'integer' },
              ms: { type: 'integer' },
            },
          },
        ],
      },
    ),
  },
  '/crm/merge-suggestions/{id}/accept': {
    post: op(
      'Merge the pair (through the contact merge: audited, undoable for a day); targetId is ' +
        'the contact kept (default the older one)',
      {
        path: true,
        body: acceptBody,
        response: [
          200,
          'the merged contact and the merge to undo',
          {
            type: 'object',
            properties: {
              contact: ref('Contact'),
              mergeId: { type: 'string', format: 'uuid' },
              sourceId: { type: 'string', format: 'uuid' },
            },
          },
        ],
      },
    ),
  },
  '/crm/merge-suggestions/{id}/dismiss': {
    post: op('Not one person: the pair is never suggested again', {
      path: true,
      response: [204, 'dismissed'],
    }),
  },
  '/contacts/{id}/conversations': {
    post: op(
      'Start a conversation with the customer on channel (default their preferred one) in ' +
        'inboxId (default the inbox they used on that channel): sms, email or telegram only ' +
        '(422 channel_not_outbound); an opted-out, blocked or bounced identity is 409 ' +
        'unreachable; an unresolved conversation there is returned (200) instead of a new one (201)',
      {
        path: true,
        body: startConversationBody,
        response: [201, 'the conversation', ref('Conversation')],
      },
    ),
  },
};
