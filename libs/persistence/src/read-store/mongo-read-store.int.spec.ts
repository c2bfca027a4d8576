import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createReadStore } from './create-read-store';
import { databaseNameFromUrl, escapeRegex, MongoReadStore } from './mongo-read-store';
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
