import type { RecordedEvent, ReadStore } from '@portcullis/persistence';
import { allProjections } from './all-projections';
import type { Projection } from './projection';
import { ProjectionRunner, rebuildReadModels, waitForPosition } from './projection-runner';
import { InMemoryEventStoreForTests } from './testing/in-memory-event-store.for-tests';
import { InMemoryReadStoreForTests } from './testing/in-memory-read-store.for-tests';
import { realisticScenarioForTests } from './testing/scenario.for-tests';

const at = '2030-01-01T00:00:00.000Z';

/** recording is a projection that remembers which positions it applied. */
function recording(name: string, canHandle: string[] = ['TeamCreated']) {
  const seen: bigint[] = [];
  const projection: Projection = {
    name,
    collections: [`${name}_docs`],
    indexes: { [`${name}_docs`]: [{ name: `${name}_x`, fields: [['x', 1]] }] },
    canHandle,
    async apply(event: RecordedEvent, store: ReadStore) {
      seen.push(event.position);
      await store.collection(`${name}_docs`).upsert({ _id: event.id, x: Number(event.position) });
    },
  };
  return { projection, seen };
}

const team = (id: number) => ({
  type: 'TeamCreated',
  data: {
    id,
    name: `t${id}`,
    description: '',
    kind: 'team',
    hidden: false,
    ownerId: 1,
    at,
  },
});
const reservation = (value: string) => ({
  type: 'NameReserved',
  data: { kind: 'team', value, ownerId: 1, at },
});

describe('ProjectionRunner', () => {
  let events: InMemoryEventStoreForTests;
  let store: InMemoryReadStoreForTests;
  let runner: ProjectionRunner | undefined;

  beforeEach(() => {
    events = new InMemoryEventStoreForTests();
    store = new InMemoryReadStoreForTests();
  });
  afterEach(() => runner?.stop());

  describe('When started over existing events', () => {
    it('catches up in batches, ensures indexes, and checkpoints every projection', async () => {
      for (let i = 0; i < 5; i++)
        await events.append(`team-${i}`, [team(i)], {
          expectedRevision: 'no_stream',
        });
      const a = recording('a');
      runner = new ProjectionRunner(events, store, [a.projection], {
        batchSize: 2,
      });
      await runner.start();
      expect(a.seen).toEqual([0n, 1n, 2n, 3n, 4n]);
      expect(store.batches).toBe(3);
      expect(store.indexes.get('a_docs')).toHaveLength(1);
      expect(await store.getCheckpoint('a')).toBe(4n);
    });

    it('skips events a projection has already applied', async () => {
      for (let i = 0; i < 4; i++)
        await events.append(`team-${i}`, [team(i)], {
          expectedRevision: 'no_stream',
        });
      const [ahead, behind] = [recording('ahead'), recording('behind')];
      await store.setCheckpoint('ahead', 2n);
      await store.setCheckpoint('behind', 0n);
      runner = new ProjectionRunner(events, store, [ahead.projection, behind.projection]);
      await runner.start();
      expect(ahead.seen).toEqual([3n]);
      expect(behind.seen).toEqual([1n, 2n, 3n]);
    });
  });

  describe('When events arrive while running', () => {
    it('applies them and lets waitForPosition see them, including events no projection reads', async () => {
      const a = recording('a');
      runner = new ProjectionRunner(events, store, [a.projection]);
      await runner.start();
      await events.append('team-1', [team(1)], {
        expectedRevision: 'no_stream',
      });
      const { position } = await events.append('unique-team-x', [reservation('x')], {
        expectedRevision: 'no_stream',
      });
      expect(await waitForPosition(store, [a.projection], position, 1000)).toBe(true);
      expect(a.seen).toEqual([0n]);
      expect(await store.getCheckpoint('a')).toBe(1n);
      expect(await waitForPosition(store, [a.projection], position + 1n, 30)).toBe(false);
    });
  });

  describe('When its store lives only as long as it does (checkpointsInMemory, the ACL index)', () => {
    it('applies what its projections handle, keeps its position, and writes no checkpoint and no batch for the rest', async () => {
      const a = recording('a');
      runner = new ProjectionRunner(events, store, [a.projection], { checkpointsInMemory: true });
      await runner.start();
      await events.append('team-1', [team(1)], { expectedRevision: 'no_stream' });
      const until = async (position: bigint) => {
        for (let i = 0; i < 200 && (runner?.position() ?? -1n) < position; i++)
          await new Promise((r) => setTimeout(r, 5));
      };
      await until(0n);
      const batchesAfterTeam = store.batches;
      const { position } = await events.append('unique-team-x', [reservation('x')], { expectedRevision: 'no_stream' });
      await until(position);

      expect(a.seen).toEqual([0n]);
      expect(runner.position()).toBe(position);
      expect(store.batches).toBe(batchesAfterTeam);
      expect(await store.getCheckpoint('a')).toBeNull();
    });
  });

  describe('When events arrive faster than batches are written', () => {
    it('applies them in order in fewer batches than events, and never past a failed batch', async () => {
      const a = recording('a');
      let failOn: bigint | null = 40n;
      const flaky: Projection = {
        ...a.projection,
        async apply(event, s) {
          if (event.position === failOn) {
            failOn = null;
            throw new Error('boom once');
          }
          await a.projection.apply(event, s);
        },
      };
      runner = new ProjectionRunner(events, store, [flaky], { retryDelayMs: 5, batchSize: 25 });
      await runner.start();
      const before = store.batches;
      let last = -1n;
      for (let i = 0; i < 100; i++) {
        last = (await events.append(`team-${i}`, [team(i)], { expectedRevision: 'no_stream' })).position;
      }
      expect(await waitForPosition(store, [flaky], last, 5_000)).toBe(true);
      // Every event exactly once in position order, the failed one included (its batch was rolled back and
      // re-read from the checkpoint; the events queued behind it were not applied past the gap).
      const applied = [...new Set(a.seen)];
      expect(applied).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(i)));
      expect(await store.collection('a_docs').count()).toBe(100);
      expect(store.batches - before).toBeLessThan(100);
    });
  });

  describe('When a projection fails', () => {
    it('rolls the batch back and retries from the checkpoint until it succeeds', async () => {
      let failures = 1;
      const flaky: Projection = {
        ...recording('flaky').projection,
        async apply(event, s) {
          await s.collection('flaky_docs').upsert({ _id: event.id });
          if (failures-- > 0) throw new Error('boom');
        },
      };
      const errors: string[] = [];
      await events.append('team-1', [team(1)], {
        expectedRevision: 'no_stream',
      });
      runner = new ProjectionRunner(events, store, [flaky], {
        retryDelayMs: 5,
        logger: { log: () => undefined, error: (m) => errors.push(m) },
      });
      await expect(runner.start()).rejects.toThrow('boom');
      expect(await store.getCheckpoint('flaky')).toBeNull();
      expect(await waitForPosition(store, [flaky], 0n, 1000)).toBe(true);
      expect(errors[0]).toMatch(/boom/);
      await events.append('team-2', [team(2)], {
        expectedRevision: 'no_stream',
      });
      expect(await waitForPosition(store, [flaky], 1n, 1000)).toBe(true);
    });
  });

  describe('When stopped', () => {
    it('applies nothing more', async () => {
      const a = recording('a');
      runner = new ProjectionRunner(events, store, [a.projection]);
      await runner.start();
      await runner.stop();
      await events.append('team-1', [team(1)], {
        expectedRevision: 'no_stream',
      });
      await new Promise((r) => setTimeout(r, 20));
      expect(a.seen).toEqual([]);
    });
  });
});

describe('rebuildReadModels', () => {
  it('gives the same read models as the incremental runner', async () => {
    const events = new InMemoryEventStoreForTests();
    const store = new InMemoryReadStoreForTests();
    const runner = new ProjectionRunner(events, store, allProjections, {
      batchSize: 50,
    });
    const steps = realisticScenarioForTests(7, 20, 6);
    // Half before start (catch-up), half while running (subscription).
    const half = Math.floor(steps.length / 2);
    for (const s of steps.slice(0, half)) await events.append(s.streamId, s.events, { expectedRevision: 'any' });
    await runner.start();
    let last = -1n;
    for (const s of steps.slice(half)) {
      last = (await events.append(s.streamId, s.events, { expectedRevision: 'any' })).position;
    }
    expect(await waitForPosition(store, allProjections, last, 5000)).toBe(true);
    await runner.stop();
    const collections = [...new Set(allProjections.flatMap((p) => p.collections))];
    const incremental = store.dump(collections);

    const result = await rebuildReadModels(events, store, allProjections, {
      batchSize: 64,
    });
    expect(result.events).toBe(Number(last) + 1);
    expect(store.dump(collections)).toEqual(incremental);
    expect(incremental['users'].length).toBeGreaterThan(5);
  });
});
