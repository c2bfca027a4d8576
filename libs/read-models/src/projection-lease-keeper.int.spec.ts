import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent, RecordedEvent } from '@portcullis/persistence';
import { SqliteEventStore, SqliteReadStore } from '@portcullis/persistence';
import { allProjections } from './all-projections';
import { LeaseKeeper, LeaseLostError } from './projection-lease-keeper';
import { LEASES } from './projection-lease';
import { applyBatch } from './projection-runner';

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
