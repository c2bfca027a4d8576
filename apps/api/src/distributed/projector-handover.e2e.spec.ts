import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Doc, EventStore, NewEvent, ReadStore } from '@portcullis/persistence';
import { createEventStore, createReadStore, SqliteReadStore } from '@portcullis/persistence';
import { allProjections, rebuildReadModels, waitForPosition } from '@portcullis/read-models';
import { startProcess, withDatabase, type PortcullisProcess } from '../testing/processes';

// Two projector processes on shared stores (event store: SQLite WAL file, or EventStoreDB with EVENTSTORE_URL;
// read store: MongoDB wire via FerretDB with MONGODB_URL, else one shared SQLite file). Events are appended
// throughout; the leader is killed with SIGKILL; the other must take over within the bound and the read models
// must end up exactly what a rebuild from the event store gives: nothing missed, nothing doubled.
jest.setTimeout(240_000);
const mongoUrl = process.env['MONGODB_URL'];
const eventStoreUrl = process.env['EVENTSTORE_URL'];
if (!mongoUrl)
  process.stdout.write('projector-handover.e2e: MONGODB_URL not set, the read store is a shared SQLite file\n');

const LEASE_MS = 1_500;
const RENEW_MS = 250;
// Takeover needs the lease to stand unchanged for LEASE_MS after the follower's last look (≤ one renew interval
// late) plus one more round; the rest is slack for a loaded 2-core CI machine.
const HANDOVER_BOUND_MS = LEASE_MS + 2 * RENEW_MS + 2_500;

const registered = (id: number): NewEvent => ({
  type: 'UserRegistered',
  data: {
    id,
    username: `user${id}`,
    email: `user${id}@example.com`,
    displayName: null,
    passwordHash: 'h',
    admin: false,
    bot: false,
    at: '2030-01-01T00:00:00.000Z',
  },
  metadata: { actor: null },
});

const collections = [...new Set(allProjections.flatMap((p) => p.collections))];
async function dump(store: ReadStore): Promise<Record<string, Doc[]>> {
  const out: Record<string, Doc[]> = {};
  for (const c of collections) out[c] = await store.collection(c).find({}, { sort: [['_id', 1]] });
  return out;
}

describe('projector leadership across processes (kill -9, SIGSTOP, SIGTERM)', () => {
  let dir: string;
  let events: EventStore;
  let reads: ReadStore;
  let env: Record<string, string>;
  const database = `portcullis_handover_${randomBytes(4).toString('hex')}`;
  const procs: PortcullisProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portcullis-handover-'));
    env = {
      PORTCULLIS_DATA_DIR: dir,
      PORTCULLIS_PROJECTOR_LEASE_MS: String(LEASE_MS),
      PORTCULLIS_PROJECTOR_LEASE_RENEW_MS: String(RENEW_MS),
      PORTCULLIS_EVENTSTORE_URL: eventStoreUrl ?? '',
      PORTCULLIS_MONGODB_URL: mongoUrl ? withDatabase(mongoUrl, database) : '',
      PORTCULLIS_NATS_URL: '',
    };
    events = createEventStore({ dataDir: dir, eventStoreUrl });
    reads = await createReadStore({ dataDir: dir, mongodbUrl: env['PORTCULLIS_MONGODB_URL'] || undefined });
  });
  afterAll(async () => {
    for (const p of procs) await p.kill('SIGKILL');
    await events?.close();
    await reads?.close();
    if (mongoUrl) {
      const client = new MongoClient(mongoUrl);
      await client
        .db(database)
        .dropDatabase()
        .finally(() => client.close());
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands over within the bound, and the read models equal a rebuild from the event store', async () => {
    let id = 0;
    const append = async (n: number) => {
      let last = -1n;
      for (let i = 0; i < n; i++) {
        id += 1;
        last = (await events.append(`user-${id}`, [registered(id)], { expectedRevision: 'no_stream' })).position;
      }
      return last;
    };
    await append(50);

    const first = startProcess('projector', env, 'projector-1');
    procs.push(first);
    await first.waitFor(/leading \(epoch 1\)/);
    const second = startProcess('projector', env, 'projector-2');
    procs.push(second);
    await second.waitFor(/waiting for the projector lease/);

    // Appends keep coming (about 100 events/s) while the leader is killed and the follower takes over.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await append(10);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await new Promise((r) => setTimeout(r, 1_500));
    // Exactly one writer: the follower has stayed a follower through many renewals.
    expect(second.output()).not.toMatch(/leading \(epoch/);

    const killedAt = Date.now();
    await first.kill('SIGKILL');
    await second.waitFor(/leading \(epoch 2\)/, 30_000);
    const handOverMs = Date.now() - killedAt;
    await new Promise((r) => setTimeout(r, 1_500));
    writing = false;
    await writer;
    const last = await append(20);

    expect(await waitForPosition(reads, allProjections, last, 30_000)).toBe(true);
    process.stdout.write(`projector-handover.e2e: hand-over took ${handOverMs} ms (bound ${HANDOVER_BOUND_MS} ms)\n`);
    expect(handOverMs).toBeLessThan(HANDOVER_BOUND_MS);
    // The lease had to stand unchanged for a whole lease length first: the follower did not take it early.
    expect(handOverMs).toBeGreaterThanOrEqual(LEASE_MS - RENEW_MS);

    const total = (await events.readAll({ maxCount: 1_000_000 })).length;
    expect(total).toBe(id);
    expect(await reads.collection('users').count()).toBe(total);
    expect(await reads.collection('activities').count()).toBe(total);
    expect(await reads.collection('credentials').count()).toBe(total);

    await expectRebuildEqual();
  });

  it('a paused leader (SIGSTOP) loses the lease, and after SIGCONT stands by instead of writing', async () => {
    const leader = procs[1];
    const third = startProcess('projector', env, 'projector-3');
    procs.push(third);
    await third.waitFor(/waiting for the projector lease/);
    let id = (await events.readAll({ maxCount: 1_000_000 })).length;
    const append = async (n: number) => {
      let last = -1n;
      for (let i = 0; i < n; i++) {
        id += 1;
        last = (await events.append(`user-${id}`, [registered(id)], { expectedRevision: 'no_stream' })).position;
      }
      return last;
    };
    process.kill(leader.child.pid as number, 'SIGSTOP');
    try {
      // Events the paused leader may already have read but not written, and more after the hand-over.
      await append(30);
      await third.waitFor(/leading \(epoch 3\)/, 30_000);
      await append(30);
    } finally {
      process.kill(leader.child.pid as number, 'SIGCONT');
    }
    await leader.waitFor(/standing by/, 30_000);
    const last = await append(30);
    expect(await waitForPosition(reads, allProjections, last, 30_000)).toBe(true);
    expect(await reads.collection('users').count()).toBe(id);
    expect(await reads.collection('activities').count()).toBe(id);
    expect((await reads.collection('projector_leases').get('projections'))?.['epoch']).toBe(3);
    await expectRebuildEqual();
  });

  it('a leader stopped cleanly (SIGTERM) releases the lease, and the standby takes it at its next look', async () => {
    const [standby, leader] = [procs[1], procs[2]];
    const stoppedAt = Date.now();
    await leader.kill('SIGTERM');
    expect(leader.output()).toMatch(/released lease projections \(epoch 3\)/);
    await standby.waitFor(/leading \(epoch 4\)/, 30_000);
    const tookMs = Date.now() - stoppedAt;
    process.stdout.write(`projector-handover.e2e: clean hand-over took ${tookMs} ms (lease ${LEASE_MS} ms)\n`);
    // Without the release no follower could take over sooner than a lease length after the last renewal it saw.
    expect(tookMs).toBeLessThan(LEASE_MS - RENEW_MS);
    const { position } = await events.append('user-after-release', [registered(1_000_000)], {
      expectedRevision: 'no_stream',
    });
    expect(await waitForPosition(reads, allProjections, position, 30_000)).toBe(true);
    await expectRebuildEqual();
  });

  async function expectRebuildEqual() {
    const rebuilt = new SqliteReadStore(':memory:');
    try {
      await rebuildReadModels(events, rebuilt, allProjections);
      expect(await dump(reads)).toEqual(await dump(rebuilt));
    } finally {
      await rebuilt.close();
    }
  }
});
