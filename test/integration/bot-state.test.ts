import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationState, TestAdapter } from 'botbuilder-core';
import { openDatabase, type Database } from '../../src/db/client';
import { DbStorage, EtagConflictError } from '../../src/bot/db-storage';
import { SwitchboardBot } from '../../src/bot/bot';
import { setPorts, type BotPorts } from '../../src/bot/ports';
import { mergeTexts } from '../../src/bot/texts';
import { createTestStorage, type TestStorage } from '../helpers/database';

// The bot's state in the real database: eTags make a stale write fail instead of overwriting a
// newer dialog, and a turn that lost the race can be taken again on the fresh state.
let storage: TestStorage;
let database: Database;

beforeAll(async () => {
  storage = await createTestStorage();
  database = await openDatabase({ databaseUrl: storage.databaseUrl, dataDir: storage.dataDir });
});

afterAll(async () => {
  await database?.close();
  await storage?.cleanup();
});

describe('bot state storage', () => {
  it('writes only over the eTag it read', async () => {
    const store = new DbStorage(database.db);
    await store.write({ k1: { step: 1 } });
    const first = (await store.read(['k1']))['k1'] as { step: number; eTag: string };
    expect(first).toEqual({ step: 1, eTag: '1' });
    await store.write({ k1: { ...first, step: 2 } });
    expect((await store.read(['k1']))['k1']).toEqual({ step: 2, eTag: '2' });
    // A writer that read before the last write loses, and changes nothing.
    await expect(store.write({ k1: { ...first, step: 99 } })).rejects.toBeInstanceOf(
      EtagConflictError,
    );
    // Creating what exists is a conflict too; '*' overwrites on purpose.
    await expect(store.write({ k1: { step: 100 } })).rejects.toBeInstanceOf(EtagConflictError);
    expect((await store.read(['k1']))['k1']).toEqual({ step: 2, eTag: '2' });
    await store.write({ k1: { step: 3, eTag: '*' } });
    expect((await store.read(['k1']))['k1']).toEqual({ step: 3, eTag: '3' });
    await store.delete(['k1']);
    expect(await store.read(['k1'])).toEqual({});
  });

  it('lets only one of two turns taken at once on the same dialog save; the other is retried', async () => {
    const store = new DbStorage(database.db);
    const ports: BotPorts = {
      texts: async (l) => mergeTexts(l, {}),
      answer: async () => null,
      findOrder: async () => null,
      categories: async () => [{ key: 'delivery', name: 'Delivery' }],
      rememberLanguage: async () => undefined,
      openComplaint: async () => ({ reference: 'C-1', dueAt: null }),
      hours: async () => ({ openNow: true, opensAt: null, timeZone: 'UTC' }),
      handover: async () => undefined,
    };
    // Two instances of the server, each with its own bot over the same table.
    const bots = [0, 1].map(() => new SwitchboardBot(new ConversationState(store)));
    const adapters = bots.map(
      (bot) =>
        new TestAdapter(async (context) => {
          setPorts(context, ports);
          await bot.run(context, { profileLanguage: 'en', hint: null });
        }),
    );
    await adapters[0]!.send('hello').startTest();
    const results = await Promise.allSettled(
      adapters.map((a, i) => a.send(i === 0 ? '3' : '2').startTest()),
    );
    const conflicts = results.filter(
      (r) => r.status === 'rejected' && r.reason instanceof EtagConflictError,
    );
    expect(conflicts.length).toBeLessThanOrEqual(1);
    // Whatever happened, the stored dialog is one consistent stack, and the next turn runs on it.
    await adapters[0]!.send('what?').startTest();
    const [row] = Object.values(await store.read(['test/conversations/Convo1/']));
    const stack = (row as { dialogState: { dialogStack: { id: string }[] } }).dialogState
      .dialogStack;
    expect(stack.length).toBeGreaterThan(0);
    expect(stack[0]!.id).toBe('main');
  });
});
