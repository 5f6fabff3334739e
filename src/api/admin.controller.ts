import { Router } from 'express';
import type { AdminService } from '../admin/admin.service';
import { cannedBody, idParam, inboxBody, teamBody, userCreate, userPatch } from './schemas';
import { parse, principalOf } from './http';

export function adminRoutes(admin: AdminService): Router {
  const router = Router();

  router.get('/users', async (_req, res) => {
    res.json({ items: await admin.listUsers() });
  });
  router.post('/users', async (req, res) => {
    res.status(201).json(await admin.createUser(principalOf(req), parse(userCreate, req.body)));
  });
  router.patch('/users/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await admin.updateUser(principalOf(req), id, parse(userPatch, req.body)));
  });

  router.get('/teams', async (_req, res) => {
    res.json({ items: await admin.listTeams() });
  });
  router.post('/teams', async (req, res) => {
    res.status(201).json(await admin.saveTeam(principalOf(req), null, parse(teamBody, req.body)));
  });
  router.patch('/teams/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await admin.saveTeam(principalOf(req), id, parse(teamBody, req.body)));
  });
  router.delete('/teams/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    await admin.deleteTeam(principalOf(req), id);
    res.status(204).end();
  });

  router.get('/inboxes', async (req, res) => {
    res.json({ items: await admin.listInboxes(principalOf(req)) });
  });
  router.post('/inboxes', async (req, res) => {
    res.status(201).json(await admin.saveInbox(principalOf(req), null, parse(inboxBody, req.body)));
  });
  router.patch('/inboxes/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await admin.saveInbox(principalOf(req), id, parse(inboxBody, req.body)));
  });

  router.get('/canned-responses', async (_req, res) => {
    res.json({ items: await admin.listCanned() });
  });
  router.post('/canned-responses', async (req, res) => {
    const body = parse(cannedBody.required(), req.body);
    res.status(201).json(await admin.saveCanned(principalOf(req), null, body));
  });
  router.patch('/canned-responses/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await admin.saveCanned(principalOf(req), id, parse(cannedBody, req.body)));
  });
  router.delete('/canned-responses/:id', async (req, res) => {
    const { id } = parse(idParam, req.params);
    await admin.deleteCanned(principalOf(req), id);
    res.status(204).end();
  });

  router.get('/labels', async (_req, res) => {
    res.json({ items: await admin.labels() });
  });

  return router;
}
