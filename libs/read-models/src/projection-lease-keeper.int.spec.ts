import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent, RecordedEvent } from '@portcullis/persistence';
import { SqliteEventStore, SqliteReadStore } from '@portcullis/persistence';
import { allProjections } from './all-projections';
import { LeaseKeeper, LeaseLostError } from './projection-lease-keeper';
import { LEASES } from './projection-lease';
import { applyBatch, ProjectionRunner } from './projection-runner';

const registered = (id: number): NewEvent => ({
  type: 'UserRegistered',
  data: {
    id,
    username: `u${id}`,
    email: null,
    displayName: null,
    passwordHash: 'h',
    admin: false,
    bot: false,
    at: '2030-01-01T00:00:00.000Z',
  },
  metadata: { actor: null },
});

const until = async (probe: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

// Two keepers on two connections to one SQLite file, as two projector processes would have.
describe('LeaseKeeper on a shared SQLite read store', () => {
  let dir: string;
  let storeA: SqliteReadStore;
  let storeB: SqliteReadStore;
  let events: SqliteEventStore;
  const keepers: LeaseKeeper[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lease-'));
    storeA = new SqliteReadStore(join(dir, 'read-models.sqlite'));
    storeB = new SqliteReadStore(join(dir, 'read-models.sqlite'));
    events = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    for (const k of keepers.splice(0)) await k.stop();
    await Promise.all([storeA.close(), storeB.close(), events.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const keeper = (store: SqliteReadStore, log: string[], owner: string) => {
    const k = new LeaseKeeper(store, {
      name: 'projections',
      leaseMs: 400,
      renewMs: 50,
      owner,
      onElected: (epoch) => void log.push(`elected ${epoch}`),
      onDemoted: () => void log.push('demoted'),
    });
    keepers.push(k);
    return k;
  };

  it('elects one, hands over when the holder stops renewing, and fences the paused ex-holder out', async () => {
    const logA: string[] = [];
    const logB: string[] = [];
    const a = keeper(storeA, logA, 'a');
    a.start();
    await until(() => logA.includes('elected 1'), 5_000);
    const b = keeper(storeB, logB, 'b');
    b.start();
    // B watches A renew for well over a lease length and never takes it.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(logB).toEqual([]);
    expect(a.epoch).toBe(1);

    // "Pause" A: its rounds stop, but it still believes it holds epoch 1 (as a stopped process would).
    (a as unknown as { stopped: boolean }).stopped = true;
    const paused = Date.now();
    await until(() => logB.includes('elected 2'), 5_000);
    const handOverMs = Date.now() - paused;
    expect(handOverMs).toBeGreaterThanOrEqual(350);
    expect(handOverMs).toBeLessThan(2_000);
    expect(a.epoch).toBe(1);
    await expect(a.fence()).rejects.toBeInstanceOf(LeaseLostError);

    // A's in-flight batch rolls back entirely: no document, no checkpoint.
    const { position } = await events.append('user-1', [registered(1)], { expectedRevision: 'no_stream' });
    const [event] = (await events.readAll({ maxCount: 10 })) as RecordedEvent[];
    expect(event.position).toBe(position);
    await expect(applyBatch(storeA, allProjections, new Map(), [event], () => a.fence())).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    expect(await storeB.collection('users').count()).toBe(0);
    expect(await storeB.getCheckpoint('users')).toBeNull();
    // The new holder writes the same batch.
    await applyBatch(storeB, allProjections, new Map(), [event], () => b.fence());
    expect(await storeB.collection('users').count()).toBe(1);
    expect(await storeB.getCheckpoint('users')).toBe(position);
    expect((await storeB.collection(LEASES).get('projections'))?.['owner']).toBe('b');
  });

  it('keeps the lease while batches fence it as fast as they can between renewals', async () => {
    const log: string[] = [];
    const a = new LeaseKeeper(storeA, {
      name: 'projections',
      leaseMs: 300,
      renewMs: 20,
      owner: 'a',
      onElected: (epoch) => void log.push(`elected ${epoch}`),
      onDemoted: (reason) => void log.push(`demoted: ${reason}`),
    });
    keepers.push(a);
    a.start();
    await until(() => log.includes('elected 1'), 5_000);
    const until1s = Date.now() + 1_000;
    let fences = 0;
    while (Date.now() < until1s) {
      await a.fence();
      fences += 1;
      // As the runner does between batches: SQLite answers synchronously, so without a turn of the event loop
      // no timer (the renewal) would ever run.
      await new Promise((r) => setImmediate(r));
    }
    expect(fences).toBeGreaterThan(50);
    expect(log).toEqual(['elected 1']);
    // The renewals went on meanwhile (followers watch the count move).
    expect(((await storeB.collection(LEASES).get('projections'))?.['renewals'] as number) > 10).toBe(true);
  });

  it('keeps renewing while it catches up a backlog (SQLite answers synchronously; batches yield to timers)', async () => {
    for (let i = 1; i <= 3_000; i++) {
      await events.append(`user-${i}`, [registered(i)], { expectedRevision: 'no_stream' });
    }
    const log: string[] = [];
    const a = new LeaseKeeper(storeA, {
      name: 'projections',
      leaseMs: 2_000,
      renewMs: 20,
      owner: 'a',
      onElected: (epoch) => void log.push(`elected ${epoch}`),
      onDemoted: (reason) => void log.push(`demoted: ${reason}`),
    });
    keepers.push(a);
    const runner = new ProjectionRunner(events, storeA, allProjections, { batchSize: 50, fence: () => a.fence() });
    a.start();
    await until(() => log.includes('elected 1'), 5_000);
    const renewals = async () => (await storeB.collection(LEASES).get('projections'))?.['renewals'] as number;
    const before = await renewals();
    const started = Date.now();
    await runner.start();
    const tookMs = Date.now() - started;
    const during = (await renewals()) - before;
    await runner.stop();
    expect(await storeB.collection('users').count()).toBe(3_000);
    expect(tookMs).toBeGreaterThan(100);
    // Renewals kept coming during the catch-up (one per 20 ms asked; at least a few on a loaded machine).
    expect(during).toBeGreaterThanOrEqual(Math.min(3, Math.floor(tookMs / 100)));
    expect(log).toEqual(['elected 1']);
  });

  it('refuses a renew interval that is not below the lease length', () => {
    expect(
      () =>
        new LeaseKeeper(storeA, {
          name: 'x',
          leaseMs: 1_000,
          renewMs: 1_000,
          onElected: () => undefined,
          onDemoted: () => undefined,
        }),
    ).toThrow(/below the lease length/);
  });
});
