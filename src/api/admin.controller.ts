import { Router } from 'express';
import * as schemas from './schemas';
import { items, op, ref, type Json } from './openapi-kit';
import type { UserService } from '../admin/user.service';
import type { TeamService } from '../admin/team.service';
import type { CannedService } from '../admin/canned.service';
import type { InboxService } from '../inboxes/inbox.service';
import type { FailedIngestService } from '../channel-host/failed-ingest.service';
import {
  cannedBody,
  failedParams,
  idParam,
  inboxBody,
  teamBody,
  userCreate,
  userPatch,
} from './schemas';
import { parse, principalOf } from './http';

export function adminRoutes(admin: {
  users: UserService;
  teams: TeamService;
  inboxes: InboxService;
  canned: CannedService;
  failed: FailedIngestService;
}): Router {
  const router = Router();

  router.get('/users', async (_req, res) => {
    res.json({ items: await admin.users.listUsers() });
  });
  router.post('/users', async (req, res) => {
    res
      .status(201)
      .json(await admin.users.createUser(principalOf(req), parse(userCreate, req.body)));
  });
  router.patch('/users/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await admin.users.updateUser(principalOf(req), id, parse(userPatch, req.body)));
  });

  router.get('/teams', async (_req, res) => {
    res.json({ items: await admin.teams.listTeams() });
  });
  router.post('/teams', async (req, res) => {
    res
      .status(201)
      .json(await admin.teams.saveTeam(principalOf(req), null, parse(teamBody, req.body)));
  });
  router.patch('/teams/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await admin.teams.saveTeam(principalOf(req), id, parse(teamBody, req.body)));
  });
  router.delete('/teams/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    await admin.teams.deleteTeam(principalOf(req), id);
    res.status(204).end();
  });

  router.get('/inboxes', async (req, res) => {
    res.json({ items: await admin.inboxes.list(principalOf(req)) });
  });
  router.post('/inboxes', async (req, res) => {
    res
      .status(201)
      .json(await admin.inboxes.save(principalOf(req), null, parse(inboxBody, req.body)));
  });
  router.get('/inboxes/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await admin.inboxes.get(principalOf(req), id));
  });
  router.patch('/inboxes/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await admin.inboxes.save(principalOf(req), id, parse(inboxBody, req.body)));
  });

  router.get('/inboxes/:id/failed', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json({ items: await admin.failed.list(principalOf(req), id) });
  });
  router.post('/inboxes/:id/failed/:failedId/retry', async (req, res) => {
    const { id, failedId } = parse(failedParams, req.params);
    await admin.failed.retry(principalOf(req), id, failedId);
    res.status(204).end();
  });
  router.post('/inboxes/:id/failed/:failedId/discard', async (req, res) => {
    const { id, failedId } = parse(failedParams, req.params);
    await admin.failed.discard(principalOf(req), id, failedId);
    res.status(204).end();
  });

  router.get('/canned-responses', async (_req, res) => {
    res.json({ items: await admin.canned.listCanned() });
  });
  router.post('/canned-responses', async (req, res) => {
    const body = parse(cannedBody.required(), req.body);
    res.status(201).json(await admin.canned.saveCanned(principalOf(req), null, body));
  });
  router.patch('/canned-responses/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await admin.canned.saveCanned(principalOf(req), id, parse(cannedBody, req.body)));
  });
  router.delete('/canned-responses/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    await admin.canned.deleteCanned(principalOf(req), id);
    res.status(204).end();
  });

  router.get('/labels', async (_req, res) => {
    res.json({ items: await admin.canned.labels() });
  });

  return router;
}

/** OpenAPI paths of these routes (composed in openapi.ts). */
export const adminPaths: Record<string, Json> = {
  '/labels': { get: op('Labels in use', { response: [200, 'labels', { type: 'object' }] }) },
  '/users': {
    get: op('All users', { response: [200, 'users', items('User')] }),
    post: op('Invite a user (admin)', {
      body: schemas.userCreate,
      response: [201, 'user and generated password', { type: 'object' }],
    }),
  },
  '/users/{id}': {
    patch: op('Change role, activity, memberships (admin)', {
      path: true,
      body: schemas.userPatch,
      response: [200, 'user', ref('User')],
    }),
  },
  '/teams': {
    get: op('Teams', { response: [200, 'teams', items('Team')] }),
    post: op('Create a team (admin)', {
      body: schemas.teamBody,
      response: [201, 'team', ref('Team')],
    }),
  },
  '/teams/{id}': {
    patch: op('Change a team (admin)', {
      path: true,
      body: schemas.teamBody,
      response: [200, 'team', ref('Team')],
    }),
    delete: op('Delete a team (admin)', { path: true, response: [204, 'deleted'] }),
  },
  '/inboxes': {
    get: op('Inboxes visible to you', { response: [200, 'inboxes', items('Inbox')] }),
    post: op('Create an inbox (admin)', {
      body: schemas.inboxBody,
      response: [201, 'inbox', ref('Inbox')],
    }),
  },
  '/inboxes/{id}': {
    get: op('One inbox with its health and webhook URLs (admin)', {
      path: true,
      response: [200, 'inbox', ref('Inbox')],
    }),
    patch: op('Change an inbox (admin)', {
      path: true,
      body: schemas.inboxBody,
      response: [200, 'inbox', ref('Inbox')],
    }),
  },
  '/inboxes/{id}/failed': {
    get: op('Inbound payloads of this inbox that could not be stored (admin)', {
      path: true,
      response: [
        200,
        'failed ingests, newest first',
        {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  source: { enum: ['webhook', 'receiver'] },
                  error: { type: 'string' },
                  attempts: { type: 'integer' },
                  preview: { type: 'string' },
                  createdAt: { type: 'string', format: 'date-time' },
                },
              },
            },
          },
        },
      ],
    }),
  },
  '/inboxes/{id}/failed/{failedId}/retry': {
    post: op('Try to store it again (admin); 409 retry_failed with the reason if it still fails', {
      path: ['id', 'failedId'],
      response: [204, 'stored'],
    }),
  },
  '/inboxes/{id}/failed/{failedId}/discard': {
    post: op('Give it up (admin)', { path: ['id', 'failedId'], response: [204, 'discarded'] }),
  },
  '/canned-responses': {
    get: op('Canned responses', { response: [200, 'canned responses', items('Canned')] }),
    post: op('Create (admin)', {
      body: schemas.cannedBody,
      response: [201, 'canned', ref('Canned')],
    }),
  },
  '/canned-responses/{id}': {
    patch: op('Change (admin)', {
      path: true,
      body: schemas.cannedBody,
      response: [200, 'canned', ref('Canned')],
    }),
    delete: op('Delete (admin)', { path: true, response: [204, 'deleted'] }),
  },
};
