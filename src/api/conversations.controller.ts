import { Router } from 'express';
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
