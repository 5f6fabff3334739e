import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationState, TurnContext } from 'botbuilder-core';
import { openDatabase, type Database } from '../../src/db/client';
import { DbStorage, EtagConflictError } from '../../src/bot/db-storage';
import { SwitchboardAdapter } from '../../src/bot/adapter';
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

  it('lets only the first of two turns that read the same state save; the other reads again', async () => {
    const activity = {
      type: 'message',
      channelId: 'webchat',
      conversation: { id: 'conv-race', isGroup: false, conversationType: 'personal', name: '' },
      from: { id: 'c', name: '' },
      recipient: { id: 'b', name: '' },
    };
    // Each turn (on whichever instance) has its own storage and state object over the table.
    const begin = () => {
      const state = new ConversationState(new DbStorage(database.db));
      return { state, steps: state.createProperty<string[]>('steps') };
    };
    const turn = () => new TurnContext(new SwitchboardAdapter(), activity);
    const step = async (text: string) => {
      const who = begin();
      const ctx = turn();
      await who.steps.set(ctx, [...(await who.steps.get(ctx, [])), text]);
      await who.state.saveChanges(ctx);
    };
    await step('greeted');

    // Both turns read the same state before either writes; A saves first.
    const deferred = () => {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      return { promise, resolve };
    };
    const [readA, readB, savedA] = [deferred(), deferred(), deferred()];
    const [a, b] = [begin(), begin()];
    const race = await Promise.allSettled([
      (async () => {
        const ctx = turn();
        const steps = await a!.steps.get(ctx, []);
        readA.resolve();
        await readB.promise;
        await a!.steps.set(ctx, [...steps, 'menu: complaint']);
        await a!.state.saveChanges(ctx);
        savedA.resolve();
      })(),
      (async () => {
        const ctx = turn();
        const steps = await b!.steps.get(ctx, []);
        readB.resolve();
        await readA.promise;
        await savedA.promise;
        await b!.steps.set(ctx, [...steps, 'menu: order']);
        await b!.state.saveChanges(ctx);
      })(),
    ]);
    expect(race[0].status).toBe('fulfilled');
    // B read before A wrote: its write would lose A's step, so it is refused…
    expect(race[1].status === 'rejected' && race[1].reason).toBeInstanceOf(EtagConflictError);
    // …and taken again on what A left, B's step follows A's.
    await step('menu: order');
    expect(await begin().steps.get(turn(), [])).toEqual([
      'greeted',
      'menu: complaint',
      'menu: order',
    ]);
  });
});
