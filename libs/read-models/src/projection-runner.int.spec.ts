import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Doc, ReadStore } from '@portcullis/persistence';
import { SqliteEventStore, SqliteReadStore } from '@portcullis/persistence';
import { allProjections } from './all-projections';
import { ProjectionRunner, rebuildReadModels, waitForPosition } from './projection-runner';
import { findUserById } from './queries/users.queries';
import { queriesContract } from './testing/queries.contract.for-tests';
import { realisticScenarioForTests } from './testing/scenario.for-tests';

const collections = [...new Set(allProjections.flatMap((p) => p.collections))];

async function dump(store: ReadStore): Promise<Record<string, Doc[]>> {
  const out: Record<string, Doc[]> = {};
  for (const c of collections) out[c] = await store.collection(c).find({}, { sort: [['_id', 1]] });
  return out;
}

describe('read models on SQLite', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-models-'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'), {
      pollIntervalMs: 5,
    });
    store = new SqliteReadStore(join(dir, 'read-models.sqlite'));
  });
  afterEach(async () => {
    await events.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rebuild gives exactly what the incremental runner built', async () => {
    const steps = realisticScenarioForTests(42, 40, 12);
    const third = Math.floor(steps.length / 3);
    for (const s of steps.slice(0, third)) await events.append(s.streamId, s.events, { expectedRevision: 'any' });

    const runner = new ProjectionRunner(events, store, allProjections, {
      batchSize: 100,
    });
    await runner.start();
    let last = -1n;
    for (const s of steps.slice(third)) {
      last = (await events.append(s.streamId, s.events, { expectedRevision: 'any' })).position;
    }
    expect(await waitForPosition(store, allProjections, last, 20_000)).toBe(true);
    await runner.stop();
    const incremental = await dump(store);
    const total = steps.reduce((n, s) => n + s.events.length, 0);
    expect(total).toBeGreaterThan(500);
    expect(incremental['users'].length).toBeGreaterThan(20);
    expect(incremental['team_members'].length).toBeGreaterThan(50);
    expect(incremental['activities'].length).toBeGreaterThan(400);

    const result = await rebuildReadModels(events, store, allProjections);
    expect(result.events).toBe(total);
    expect(await dump(store)).toEqual(incremental);
    expect(await store.getCheckpoint('users')).toBe(last);
  }, 60_000);

  it('reads its own writes through waitForPosition', async () => {
    const runner = new ProjectionRunner(events, store, allProjections);
    await runner.start();
    const { position } = await events.append(
      'user-5',
      [
        {
          type: 'UserRegistered',
          data: {
            id: 5,
            username: 'eve',
            email: null,
            displayName: null,
            passwordHash: 'h',
            admin: false,
            bot: false,
            at: '2030-01-01T00:00:00.000Z',
          },
          metadata: { actor: null },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    expect(await waitForPosition(store, allProjections, position, 5000)).toBe(true);
    expect((await findUserById(store, 5))?.username).toBe('eve');
    await runner.stop();
  });
});

describe('queries on SQLite', () => {
  const opened: SqliteReadStore[] = [];
  afterAll(async () => {
    for (const s of opened) await s.close();
  });
  queriesContract(async () => {
    const s = new SqliteReadStore(':memory:');
    opened.push(s);
    return s;
  });
});
