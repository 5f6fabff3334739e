import { Router } from 'express';
import { z } from 'zod';
import { items, op, ref, type Json } from './openapi-kit';
import type { ComplaintService } from '../complaints/complaint.service';
import type { NotificationService } from '../notifications/notification.service';
import { idParam } from './schemas';
import {
  categoryBody,
  complaintBody,
  complaintPatch,
  complaintQuery,
  notificationQuery,
  notificationRead,
} from './ladder.schemas';
import { parse, principalOf } from './http';

const allQuery = z.object({ all: z.enum(['true', 'false']).optional() }).strict();

/** Complaint records, their categories, and the notifications a supervisor receives. */
export function complaintRoutes(deps: {
  complaints: ComplaintService;
  notifications: NotificationService;
}): Router {
  const { complaints, notifications } = deps;
  const router = Router();

  router.post('/conversations/:id/complaint', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res
      .status(201)
      .json(await complaints.open(principalOf(req), id, parse(complaintBody, req.body)));
  });
  router.get('/conversations/:id/complaint', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await complaints.forConversation(principalOf(req), id));
  });
  router.get('/complaints', async (req, res) => {
    const { level, status, limit } = parse(complaintQuery, req.query);
    res.json({ items: await complaints.list(principalOf(req), { level, status, limit }) });
  });
  router.get('/complaints/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await complaints.get(principalOf(req), id));
  });
  router.patch('/complaints/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await complaints.update(principalOf(req), id, parse(complaintPatch, req.body)));
  });

  router.get('/complaint-categories', async (req, res) => {
    const { all } = parse(allQuery, req.query);
    res.json({ items: await complaints.categories(all === 'true') });
  });
  router.post('/complaint-categories', async (req, res) => {
    const body = parse(categoryBody.required({ key: true, names: true }), req.body);
    res.status(201).json(await complaints.saveCategory(principalOf(req), null, body));
  });
  router.patch('/complaint-categories/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    const body = parse(categoryBody.omit({ key: true }), req.body);
    res.json(await complaints.saveCategory(principalOf(req), id, body));
  });

  router.get('/notifications', async (req, res) => {
    const { unread } = parse(notificationQuery, req.query);
    res.json({ items: await notifications.list(principalOf(req), unread === 'true') });
  });
  router.post('/notifications/read', async (req, res) => {
    await notifications.markRead(principalOf(req), parse(notificationRead, req.body).ids);
    res.status(204).end();
  });

  return router;
}

const complaintWithTimeline: Json = {
  allOf: [
    ref('Complaint'),
    {
      type: 'object',
      properties: {
        timeline: {
          type: 'array',
          description: 'every level change, oldest first',
          items: {
            type: 'object',
            properties: {
              fromLevel: { type: 'integer' },
              toLevel: { type: 'integer' },
              reason: { type: 'string' },
              actorType: { enum: ['user', 'rule', 'customer', 'system'] },
              actor: { type: ['object', 'null'] },
              rule: { type: ['string', 'null'] },
              at: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
  ],
};

export const complaintPaths: Record<string, Json> = {
  '/conversations/{id}/complaint': {
    post: op('Open a complaint on a conversation (level 1 unless a rule says more)', {
      path: true,
      body: complaintBody,
      response: [201, 'complaint', ref('Complaint')],
    }),
    get: op('The complaint of a conversation, with its timeline', {
      path: true,
      response: [200, 'complaint', complaintWithTimeline],
    }),
  },
  '/complaints': {
    get: op('Complaints you may see, highest level first', {
      query: complaintQuery,
      response: [200, 'complaints', items('Complaint')],
    }),
  },
  '/complaints/{id}': {
    get: op('One complaint with its timeline', {
      path: true,
      response: [200, 'complaint', complaintWithTimeline],
    }),
    patch: op('Work on a complaint: what was offered, root cause, resolution, status', {
      path: true,
      body: complaintPatch,
      response: [200, 'complaint', ref('Complaint')],
    }),
  },
  '/complaint-categories': {
    get: op('Complaint categories (active ones; all=true for every one)', {
      query: allQuery,
      response: [200, 'categories', { type: 'object' }],
    }),
    post: op('Add a category (admin)', {
      body: categoryBody,
      response: [201, 'category', { type: 'object' }],
    }),
  },
  '/complaint-categories/{id}': {
    patch: op('Rename, reorder or retire a category (admin)', {
      path: true,
      body: categoryBody,
      response: [200, 'category', { type: 'object' }],
    }),
  },
  '/notifications': {
    get: op('Your notifications, newest first', {
      query: notificationQuery,
      response: [200, 'notifications', { type: 'object' }],
    }),
  },
  '/notifications/read': {
    post: op('Mark notifications read', { body: notificationRead, response: [204, 'done'] }),
  },
};
