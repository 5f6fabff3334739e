import { Router } from 'express';
import type { UserService } from '../admin/user.service';
import type { TeamService } from '../admin/team.service';
import type { CannedService } from '../admin/canned.service';
import type { InboxService } from '../inboxes/inbox.service';
import { cannedBody, idParam, inboxBody, teamBody, userCreate, userPatch } from './schemas';
import { parse, principalOf } from './http';

export function adminRoutes(admin: {
  users: UserService;
  teams: TeamService;
  inboxes: InboxService;
  canned: CannedService;
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
