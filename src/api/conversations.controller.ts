import { Router } from 'express';
import * as schemas from './schemas';
import { items, op, ref, type Json } from './openapi-kit';
import type { ConversationService } from '../conversations/conversation.service';
import type { EscalationService } from '../complaints/escalation.service';
import type { CallbackService } from '../conversations/callback.service';
import {
  callbackBody,
  conversationPatch,
  conversationQuery,
  escalateBody,
  idParam,
  messageBody,
  messagesQuery,
} from './schemas';
import { parse, principalOf } from './http';

export function conversationRoutes(
  conversations: ConversationService,
  escalations: EscalationService,
  callbacks: CallbackService,
): Router {
  const router = Router();

  router.get('/conversations', async (req, res) => {
    const { limit, cursor, level, ...filter } = parse(conversationQuery, req.query);
    res.json(
      await conversations.list(principalOf(req), { ...filter, minLevel: level }, limit, cursor),
    );
  });

  router.get('/conversations/counts', async (req, res) => {
    res.json(await conversations.counts(principalOf(req)));
  });

  router.get('/conversations/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await conversations.get(principalOf(req), id));
  });

  router.patch('/conversations/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await conversations.update(principalOf(req), id, parse(conversationPatch, req.body)));
  });

  router.post('/conversations/:id/read', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await conversations.markRead(principalOf(req), id));
  });

  router.post('/conversations/:id/escalate', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await escalations.escalate(principalOf(req), id, parse(escalateBody, req.body)));
  });

  router.post('/conversations/:id/callback', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await callbacks.record(principalOf(req), id, parse(callbackBody, req.body)));
  });

  router.get('/conversations/:id/escalations', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json({ items: await escalations.history(principalOf(req), id) });
  });

  router.get('/conversations/:id/messages', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json({
      items: await conversations.messages(principalOf(req), id, parse(messagesQuery, req.query)),
    });
  });

  router.post('/conversations/:id/messages', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res
      .status(201)
      .json(await conversations.reply(principalOf(req), id, parse(messageBody, req.body)));
  });

  return router;
}

/** OpenAPI paths of these routes (composed in openapi.ts). */
export const conversationPaths: Record<string, Json> = {
  '/conversations': {
    get: op('List conversations, newest activity first', {
      query: schemas.conversationQuery,
      response: [
        200,
        'a page',
        {
          type: 'object',
          properties: {
            items: { type: 'array', items: ref('Conversation') },
            nextCursor: { type: ['string', 'null'] },
          },
        },
      ],
    }),
  },
  '/conversations/counts': {
    get: op('Counts per view (not resolved)', {
      response: [200, 'counts', { type: 'object' }],
    }),
  },
  '/conversations/{id}': {
    get: op(
      'One conversation with its contact and `recipient` (the identity replies go to, with its state)',
      {
        path: true,
        response: [200, 'conversation', ref('Conversation')],
      },
    ),
    patch: op('Change status, priority, assignee, team, labels, snooze', {
      path: true,
      body: schemas.conversationPatch,
      response: [200, 'conversation', ref('Conversation')],
    }),
  },
  '/conversations/{id}/read': {
    post: op('Mark as read', {
      path: true,
      response: [200, 'conversation', ref('Conversation')],
    }),
  },
  '/conversations/{id}/escalate': {
    post: op('Escalate one level up (or to level)', {
      path: true,
      body: schemas.escalateBody,
      response: [200, 'conversation', ref('Conversation')],
    }),
  },
  '/conversations/{id}/callback': {
    post: op(
      'Record a call back to the customer (an internal system note); reached, left_voicemail and wrong_number clear the callback_requested label',
      {
        path: true,
        body: schemas.callbackBody,
        response: [
          200,
          'the note and the conversation',
          {
            type: 'object',
            properties: { message: ref('Message'), conversation: ref('Conversation') },
          },
        ],
      },
    ),
  },
  '/conversations/{id}/escalations': {
    get: op('Escalation history', {
      path: true,
      response: [200, 'history', { type: 'object' }],
    }),
  },
  '/conversations/{id}/messages': {
    get: op('Messages, oldest first', {
      path: true,
      query: schemas.messagesQuery,
      response: [200, 'messages', items('Message')],
    }),
    post: op('Reply to the customer or write a private note', {
      path: true,
      body: schemas.messageBody,
      response: [201, 'message', ref('Message')],
    }),
  },
};
