import { afterAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { inboxes, messages } from '../../src/db/schema';
import { createTestStorage } from '../helpers/database';
import { login, request, startTestServer, type TestServer } from '../helpers/server';
import { ScriptedProvider, scriptedChannel } from '../helpers/scripted-channel';

/** Channels configured by environment variables appear as inboxes like any other (CONTRACT). */
describe('an inbox from environment variables', () => {
  const provider = new ScriptedProvider();
  let t: TestServer | undefined;
  afterAll(async () => t?.stop());

  const start = async (apiKey: string, storage?: TestServer['storage']) =>
    startTestServer(
      {},
      {
        ...(storage ? { storage } : {}),
        channels: [
          scriptedChannel('sms', provider, {
            env: { name: 'SMS (from the environment)', credentials: { apiKey } },
          }),
        ],
      },
    );

  it('is created at start, sealed, with the admins as members, and answers the plain webhook', async () => {
    t = await start('env-key-00000001');
    const admin = await login(t.url);
    const list = await admin.get<{
      items: { id: string; name: string; source: string; memberIds: string[] }[];
    }>('/api/v1/inboxes');
    const inbox = list.body.items.find((i) => i.source === 'env');
    expect(inbox).toMatchObject({ name: 'SMS (from the environment)' });
    expect(inbox!.memberIds).toHaveLength(1);
    const [row] = await t.server.database.db
      .select()
      .from(inboxes)
      .where(eq(inboxes.id, inbox!.id));
    expect(row!.credentials).not.toContain('env-key-00000001');

    // No inbox id in the URL: the environment's inbox of that provider answers.
    const res = await request(t.url, 'POST', '/webhooks/scripted/in', {
      body: { id: 'env-1', from: '+15550009001', text: 'to the env inbox' },
      headers: { 'x-scripted-key': 'env-key-00000001' },
    });
    expect(res.status).toBe(200);
    const [stored] = await t.server.database.db
      .select()
      .from(messages)
      .where(eq(messages.providerMessageId, 'env-1'));
    expect(stored!.inboxId).toBe(inbox!.id);
  });

  it('follows the variables when they change, and stays one inbox', async () => {
    const storage = t!.storage;
    await t!.halt();
    t = await start('env-key-00000002', storage);
    const rows = await t.server.database.db.select().from(inboxes).where(eq(inboxes.source, 'env'));
    expect(rows).toHaveLength(1);
    expect(t.server.host.credentialsOf(rows[0]!)).toEqual({ apiKey: 'env-key-00000002' });
  });

  it('stops start-up with the variable’s name when it is set but wrong', async () => {
    const storage = await createTestStorage();
    try {
      await expect(
        startTestServer({ TELEGRAM_API_ROOT: 'not a url' }, { storage }),
      ).rejects.toThrow(/TELEGRAM_API_ROOT/);
    } finally {
      await storage.cleanup();
    }
  });
});
