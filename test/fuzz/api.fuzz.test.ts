import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows';
import {
  createAgent,
  login,
  newVisitorWrites,
  request,
  startTestServer,
  webchatInboxId,
  type Api,
  type TestServer,
} from '../helpers/server';
import { hostileBody, hostileId, hostileRaw, hostileString } from './hostile';
import { fuzzSettings } from './settings';

/**
 * Every operation of our own OpenAPI document, as an admin and as an agent, with generated
 * hostile path ids, query strings and bodies. No answer may be a 5xx; every refusal has the
 * error shape and leaves every table as it was; the process stays up; nothing is polluted.
 */
const { seed, runs } = fuzzSettings('api');

const TABLES = [
  'users',
  'teams',
  'team_members',
  'inboxes',
  'inbox_members',
  'contacts',
  'contact_identities',
  'conversations',
  'messages',
  'attachments',
  'canned_responses',
  'complaints',
  'escalations',
  'audit_log',
];

interface Operation {
  method: string;
  path: string;
  query: string[];
  fields: string[];
}

let t: TestServer;
let admin: Api;
let agent: Api & { id: string };
const operations: Operation[] = [];
const known: string[] = [];

async function counts(): Promise<Record<string, number>> {
  const rows = await queryRows<{ t: string; n: number }>(
    t.server.database.db,
    sql.raw(
      TABLES.map((name) => `select '${name}' as t, count(*)::int as n from ${name}`).join(
        ' union all ',
      ),
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

beforeAll(async () => {
  t = await startTestServer();
  admin = await login(t.url);
  const inboxId = await webchatInboxId(admin);
  agent = await createAgent(t.url, admin, 'Fuzzed', [inboxId]);
  const conversationId = await newVisitorWrites(t.url, 'a conversation to aim at');
  const conversation = await admin.get<{ contact: { id: string } }>(
    `/api/v1/conversations/${conversationId}`,
  );
  const team = await admin.send<{ id: string }>('POST', '/api/v1/teams', { name: 'Fuzz team' });
  known.push(conversationId, conversation.body.contact.id, inboxId, agent.id, team.body.id);
  const doc = await request<{
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { name: string; in: string }[];
          servers?: unknown[];
          requestBody?: { content: Record<string, { schema: { properties?: object } }> };
        }
      >
    >;
  }>(t.url, 'GET', '/api/v1/openapi.json');
  for (const [path, methods] of Object.entries(doc.body.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      // Signing out would end the fuzzing session itself; it is tested on its own.
      if (path === '/auth/logout') continue;
      // An operation served elsewhere than /api/v1 (Bot Framework's /api/messages) has its own tests.
      if (op.servers) continue;
      const schema = op.requestBody?.content['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        fields: Object.keys(schema?.properties ?? {}),
      });
    }
  }
}, 60_000);

afterAll(async () => t?.stop());

describe(`the REST API under hostile input (seed ${seed}, ${runs} runs per operation and role)`, () => {
  it('reads the operations from its own OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(25);
  });

  it('answers every operation without a 5xx, with the error shape, writing nothing when it refuses', async () => {
    const problems: string[] = [];
    for (const op of operations) {
      for (const who of ['admin', 'agent'] as const) {
        const token = who === 'admin' ? admin.token : agent.token;
        const ids = fc.array(hostileId(known), { minLength: 4, maxLength: 4 });
        const query = fc.dictionary(
          op.query.length ? fc.constantFrom(...op.query) : hostileString,
          hostileString,
          { maxKeys: 3 },
        );
        const body = fc.oneof(
          { weight: 3, arbitrary: hostileBody(op.fields).map((value) => ({ value })) },
          { weight: 1, arbitrary: hostileRaw.map((raw) => ({ raw })) },
        );
        await fc.assert(
          fc.asyncProperty(ids, query, body, async (pathIds, q, payload) => {
            let i = 0;
            const path = op.path.replace(/\{[^}]+\}/g, () => pathIds[i++] ?? 'x');
            const search = new URLSearchParams(q).toString();
            const before = await counts();
            const res = await request(
              t.url,
              op.method,
              `/api/v1${path}${search ? `?${search}` : ''}`,
              {
                token,
                ...(op.method === 'GET' || op.method === 'DELETE'
                  ? {}
                  : 'raw' in payload
                    ? { raw: payload.raw }
                    : { body: payload.value }),
              },
            );
            const where = `${who} ${op.method} ${path}${search ? `?${search}` : ''}`;
            if (res.status >= 500)
              problems.push(`${res.status} for ${where}: ${JSON.stringify(res.body)}`);
            if (res.status >= 400) {
              expect(res.body, where).toMatchObject({
                error: { code: expect.any(String), message: expect.any(String) },
              });
              expect(await counts(), `${where} was refused but wrote`).toEqual(before);
            }
            return true;
          }),
          { seed, numRuns: runs, endOnFailure: true },
        );
      }
    }
    expect(problems).toEqual([]);
  }, 600_000);

  it('is still up and serving, and no object prototype was polluted', async () => {
    expect((await request(t.url, 'GET', '/healthz')).status).toBe(200);
    expect((await admin.get('/api/v1/auth/me')).status).toBe(200);
    const plain: Record<string, unknown> = {};
    expect(Object.keys(Object.prototype)).toEqual([]);
    for (const key of ['polluted', 'isAdmin', 'x', 'a'])
      expect(plain[key], `Object.prototype.${key}`).toBeUndefined();
  });
});
