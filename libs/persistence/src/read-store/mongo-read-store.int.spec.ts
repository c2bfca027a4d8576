import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { StoreUnavailableError } from '../event-store/event-store.port';
import { OwnServer, ownServerMissing } from '../testing/own-server.for-tests';
import { createReadStore } from './create-read-store';
import {
  databaseNameFromUrl,
  escapeRegex,
  MongoReadStore,
  ReadStoreUnavailableError,
  safeMongoUrl,
} from './mongo-read-store';
import { describeReadStoreContract } from './read-store.contract';
import { DuplicateKeyError } from './read-store.errors';

// Runs against MongoDB or FerretDB when MONGODB_URL is set (tools/ferretdb/start.sh prints one).
const url = process.env['MONGODB_URL'];

/** withDatabase puts `name` into a mongodb:// URL's path, keeping host and options. */
function withDatabase(base: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]*)\/?([^?]*)(\?.*)?$/.exec(base);
  if (!match) throw new Error(`MONGODB_URL is not a mongodb:// URL: ${base}`);
  return `${match[1]}/${name}${match[3] ?? ''}`;
}

describe('databaseNameFromUrl and escapeRegex', () => {
  it('reads the database from the URL path, defaulting to portcullis', () => {
    expect(databaseNameFromUrl('mongodb://127.0.0.1:27017/reads?w=majority')).toBe('reads');
    expect(databaseNameFromUrl('mongodb://a:1,b:2/reads')).toBe('reads');
    expect(databaseNameFromUrl('mongodb://user:p%40ss@host/')).toBe('portcullis');
    expect(databaseNameFromUrl('mongodb://host?retryWrites=false')).toBe('portcullis');
    expect(databaseNameFromUrl('mongodb+srv://cluster.example.com/x')).toBe('x');
  });

  it.each([
    ['mongodb://u:S3cret@h1:27017,h2:27017/reads?authSource=admin&w=1', 'mongodb://***@h1:27017,h2:27017/reads'],
    ['mongodb+srv://u:p%40ss@cluster.example.com/x?tls=true', 'mongodb+srv://***@cluster.example.com/x'],
    ['mongodb://u:with@at@h/db', 'mongodb://***@h/db'],
    ['mongodb://127.0.0.1:27017/', 'mongodb://127.0.0.1:27017/'],
  ])('safeMongoUrl(%s) hides credentials and options', (input, safe) => {
    expect(safeMongoUrl(input)).toBe(safe);
  });

  it('escapes every regex metacharacter', () => {
    const hostile = '.*+?^${}()|[]\\/-';
    expect(new RegExp(`^${escapeRegex(hostile)}$`).test(hostile)).toBe(true);
    expect(new RegExp(escapeRegex('a.c')).test('abc')).toBe(false);
  });
});

if (url) {
  // A fresh random database per test, all dropped at the end.
  const run = `portcullis_test_${randomBytes(4).toString('hex')}`;
  const databases: string[] = [];
  let counter = 0;

  afterAll(async () => {
    const client = new MongoClient(url);
    try {
      for (const name of databases) await client.db(name).dropDatabase();
    } finally {
      await client.close();
    }
  });

  describeReadStoreContract('MongoDB', async () => {
    const name = `${run}_${++counter}`;
    databases.push(name);
    return MongoReadStore.connect(withDatabase(url, name));
  });

  describe('MongoReadStore', () => {
    it('is what createReadStore opens when a MongoDB URL is set', async () => {
      const name = `${run}_${++counter}`;
      databases.push(name);
      const store = await createReadStore({
        mongodbUrl: withDatabase(url, name),
        dataDir: '/nonexistent',
      });
      try {
        expect(store).toBeInstanceOf(MongoReadStore);
        expect((store as MongoReadStore).databaseName).toBe(name);
        await store.collection('x').upsert({ _id: '1' });
        expect(await store.collection('x').count()).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('stores checkpoints as strings in _checkpoints', async () => {
      const name = `${run}_${++counter}`;
      databases.push(name);
      const store = await MongoReadStore.connect(withDatabase(url, name));
      const client = new MongoClient(url);
      try {
        await store.setCheckpoint('users', 2n ** 60n);
        const raw = await client
          .db(name)
          .collection<{ _id: string; position: unknown }>('_checkpoints')
          .findOne({ _id: 'users' });
        expect(raw).toEqual({ _id: 'users', position: (2n ** 60n).toString() });
      } finally {
        await client.close();
        await store.close();
      }
    });

    it('reports its settings in health: write concern majority, read concern majority, retryable writes', async () => {
      const name = `${run}_${++counter}`;
      databases.push(name);
      const store = await MongoReadStore.connect(withDatabase(url, name));
      try {
        await store.collection('x').upsert({ _id: '1' });
        expect(await store.health()).toEqual({
          status: 'up',
          message: expect.stringMatching(
            /^MongoDB answers at .* \(write concern majority, read concern majority, retryable writes\)$/,
          ),
        });
      } finally {
        await store.close();
      }
    });

    it('creates indexes idempotently at start, also when two instances start at once', async () => {
      const name = `${run}_${++counter}`;
      databases.push(name);
      const [a, b] = await Promise.all([
        MongoReadStore.connect(withDatabase(url, name)),
        MongoReadStore.connect(withDatabase(url, name)),
      ]);
      const indexes = [
        { name: 'email', fields: [['email', 1]] as [string, 1][], unique: true },
        {
          name: 'team_created',
          fields: [
            ['team', 1],
            ['created', -1],
          ] as [string, 1 | -1][],
        },
      ];
      try {
        await Promise.all([a.collection('users').ensureIndexes(indexes), b.collection('users').ensureIndexes(indexes)]);
        await a.collection('users').ensureIndexes(indexes);
        const client = new MongoClient(url);
        try {
          const listed = await client.db(name).collection('users').listIndexes().toArray();
          expect(listed.map((i) => String(i['name'])).sort()).toEqual(['_id_', 'email', 'team_created']);
        } finally {
          await client.close();
        }
        await a.collection('users').upsert({ _id: 'u1', email: 'same@example.com' });
        await expect(b.collection('users').upsert({ _id: 'u2', email: 'same@example.com' })).rejects.toBeInstanceOf(
          DuplicateKeyError,
        );
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('on FerretDB, serializes replaceIf with a lock document and takes over one a dead process left', async () => {
      const name = `${run}_${++counter}`;
      databases.push(name);
      const store = await MongoReadStore.connect(withDatabase(url, name));
      const client = new MongoClient(url);
      try {
        const info = await client.db(name).command({ buildInfo: 1 });
        if (!('ferretdbVersion' in info)) return; // MongoDB's conditional replace is atomic; no locks are used.
        const leases = store.collection('leases');
        await leases.upsert({ _id: 'l', owner: 'x', epoch: 1 });
        const locks = client.db(name).collection<{ _id: string; at: number; token: string }>('_cas_locks');
        // A lock being held right now: the write loses and changes nothing.
        await locks.insertOne({ _id: 'leases/l', at: Date.now(), token: 'live' });
        expect(await leases.replaceIf({ _id: 'l', owner: 'a', epoch: 2 }, { epoch: 1 })).toBe(false);
        expect(await leases.get('l')).toEqual({ _id: 'l', owner: 'x', epoch: 1 });
        // The same lock, as a crashed holder would leave it: taken over, written, released.
        await locks.updateOne({ _id: 'leases/l' }, { $set: { at: Date.now() - 60_000 } });
        expect(await leases.replaceIf({ _id: 'l', owner: 'a', epoch: 2 }, { epoch: 1 })).toBe(true);
        expect(await leases.get('l')).toEqual({ _id: 'l', owner: 'a', epoch: 2 });
        expect(await locks.countDocuments({})).toBe(0);
      } finally {
        await client.close();
        await store.close();
      }
    });

    it('replaces an index whose definition changed', async () => {
      const name = `${run}_${++counter}`;
      databases.push(name);
      const store = await MongoReadStore.connect(withDatabase(url, name));
      try {
        const users = store.collection('users');
        await users.ensureIndexes([{ name: 'email', fields: [['email', 1]] }]);
        await users.upsert({ _id: 'a', email: 'x' });
        await users.ensureIndexes([{ name: 'email', fields: [['email', 1]], unique: true }]);
        const error: unknown = await users.upsert({ _id: 'b', email: 'x' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuplicateKeyError);
        expect((error as DuplicateKeyError).collection).toBe('users');
        // FerretDB's duplicate-key message for inserts does not name the index.
        expect([undefined, 'email']).toContain((error as DuplicateKeyError).index);
      } finally {
        await store.close();
      }
    });
  });
} else {
  console.warn('MongoDB contract suite skipped: MONGODB_URL not set');
  describe.skip('ReadStore contract: MongoDB (MONGODB_URL not set)', () => {
    it('needs MONGODB_URL', () => undefined);
  });
}

// Stopping the shared FerretDB would break every other suite, so this one starts its own.
const ferretMissing = ownServerMissing('ferretdb');
if (ferretMissing) console.warn(`MongoReadStore stop/restart test skipped: ${ferretMissing}`);
(ferretMissing ? describe.skip : describe)('MongoReadStore when its FerretDB stops mid-run (own instance)', () => {
  let server: OwnServer | undefined;

  beforeAll(async () => {
    server = await OwnServer.start('ferretdb');
  }, 30_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('answers ReadStoreUnavailableError and reports down while stopped, then recovers with nothing lost', async () => {
    if (!server) throw new Error('FerretDB did not start');
    const lines: string[] = [];
    const logger = {
      log: (m: string) => lines.push(`log ${m}`),
      warn: (m: string) => lines.push(`warn ${m}`),
      error: (m: string) => lines.push(`error ${m}`),
    };
    const store = await MongoReadStore.connect(`${server.url}mid_run`, { serverSelectionTimeoutMs: 800, logger });
    try {
      const users = store.collection('users');
      await users.upsert({ _id: 'a', name: 'before' });
      await store.setCheckpoint('users', 5n);

      await server.stop();
      const started = Date.now();
      const readError: unknown = await users.get('a').catch((e: unknown) => e);
      expect(readError).toBeInstanceOf(ReadStoreUnavailableError);
      expect(readError).toBeInstanceOf(StoreUnavailableError);
      expect((readError as Error).message).toMatch(
        new RegExp(
          `^reading users: MongoDB unreachable at mongodb://127\\.0\\.0\\.1:${server.port}/mid_run \\((no server selectable within 800 ms|connection lost)\\)`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(5000);
      await expect(users.upsert({ _id: 'b', name: 'while down' })).rejects.toBeInstanceOf(ReadStoreUnavailableError);
      const down = await store.health();
      expect(down.status).toBe('down');
      expect(down.message).toMatch(/^ping: MongoDB unreachable at mongodb:\/\/127\.0\.0\.1:\d+\/mid_run/);
      expect(lines.filter((l) => l.startsWith('warn MongoDB unreachable'))).toHaveLength(1);

      await server.restart();
      const deadline = Date.now() + 15_000;
      while ((await store.health()).status !== 'up' && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 200));
      }
      expect((await store.health()).status).toBe('up');
      expect(await users.get('a')).toEqual({ _id: 'a', name: 'before' });
      expect(await store.getCheckpoint('users')).toBe(5n);
      await users.upsert({ _id: 'b', name: 'after' });
      expect(await users.count()).toBe(2);
      expect(lines).toContain(`log MongoDB reachable again at mongodb://127.0.0.1:${server.port}/mid_run`);
    } finally {
      await store.close();
    }
  }, 60_000);
});
