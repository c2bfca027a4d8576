import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database = require('better-sqlite3');
import { createReadStore, READ_MODELS_FILE } from './create-read-store';
import { describeReadStoreContract } from './read-store.contract';
import { SqliteReadStore } from './sqlite-read-store';

let dir: string;
let counter = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'portcullis-read-store-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

// A file per test, so that WAL and the shared-file paths are what the contract exercises.
describeReadStoreContract('SQLite (file)', async () => new SqliteReadStore(join(dir, `c${++counter}.sqlite`)));
describeReadStoreContract('SQLite (:memory:)', async () => new SqliteReadStore(':memory:'));

describe('SqliteReadStore', () => {
  let file: string;
  const open: SqliteReadStore[] = [];

  function openStore(): SqliteReadStore {
    const store = new SqliteReadStore(file);
    open.push(store);
    return store;
  }

  beforeEach(() => {
    file = join(dir, `s${++counter}.sqlite`);
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  it('opens the file in WAL mode with synchronous=NORMAL and a busy timeout', () => {
    openStore();
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('rolls a failed batch back entirely', async () => {
    const store = openStore();
    await store.collection('users').upsert({ _id: 'kept' });
    await expect(
      store.batch(async () => {
        await store.collection('users').upsert({ _id: 'lost' });
        await store.collection('users').delete('kept');
        await store.setCheckpoint('users', 9n);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.collection('users').get('lost')).toBeNull();
    expect(await store.collection('users').get('kept')).toEqual({
      _id: 'kept',
    });
    expect(await store.getCheckpoint('users')).toBeNull();
  });

  it('keeps writes made outside a batch out of a concurrent batch', async () => {
    const store = openStore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = store.batch(async () => {
      await store.collection('users').upsert({ _id: 'inBatch' });
      await gate;
      throw new Error('rolled back');
    });
    // Issued while the batch is open: it waits for the batch, so the rollback spares it.
    const outside = store.collection('users').upsert({ _id: 'outside' });
    release();
    await expect(failing).rejects.toThrow('rolled back');
    await outside;
    expect((await store.collection('users').find()).map((d) => d._id)).toEqual(['outside']);
  });

  it('shares the file between connections, as projector and API processes do', async () => {
    const writer = openStore();
    const reader = openStore();
    await writer.collection('users').ensureIndexes([{ name: 'by_name', fields: [['name', 1]] }]);
    await writer.batch(async () => {
      await writer.collection('users').upsert({ _id: 'u1', name: 'Alice' });
      await writer.setCheckpoint('users', 1n);
    });
    expect(await reader.collection('users').get('u1')).toEqual({
      _id: 'u1',
      name: 'Alice',
    });
    expect(await reader.getCheckpoint('users')).toBe(1n);

    // A rebuild in the writer drops the table under the reader's cached statements.
    await reader.collection('users').find({ name: 'Alice' });
    await writer.dropCollections(['users'], ['users']);
    expect(await reader.collection('users').find({ name: 'Alice' })).toEqual([]);
    await writer.collection('users').upsert({ _id: 'u2', name: 'Bob' });
    expect(await reader.collection('users').count()).toBe(1);
    await reader.collection('users').upsert({ _id: 'u3', name: 'Carol' });
    expect(await writer.collection('users').count()).toBe(2);
  });

  it('replaces an index whose definition changed', async () => {
    const store = openStore();
    const users = store.collection('users');
    await users.ensureIndexes([{ name: 'email', fields: [['email', 1]] }]);
    await users.upsert({ _id: 'a', email: 'x' });
    await users.ensureIndexes([{ name: 'email', fields: [['email', 1]], unique: true }]);
    await expect(users.upsert({ _id: 'b', email: 'x' })).rejects.toMatchObject({
      name: 'DuplicateKeyError',
      collection: 'users',
      index: 'email',
    });
  });

  it('answers equality and $in on an indexed field from indexes, not a table scan', async () => {
    const store = openStore();
    const users = store.collection('users');
    await users.ensureIndexes([
      { name: 'email', fields: [['email', 1]], unique: true },
      {
        name: 'team_user',
        fields: [
          ['team.id', 1],
          ['user', 1],
        ],
      },
    ]);
    for (const filter of [{ email: 'x' }, { email: { $in: ['x', 'y'] } }, { email: null }, { 'team.id': 7 }]) {
      const plan = store.queryPlan('users', filter).join('\n');
      expect(plan).toMatch(/USING INDEX users__/);
      expect(plan).not.toMatch(/^SCAN users/m);
    }
    expect(store.queryPlan('users', { name: 'x' }).join('\n')).toMatch(/^SCAN users/m);
  });
});

describe('createReadStore', () => {
  it('opens SQLite read-models.sqlite in the data dir when no MongoDB URL is set', async () => {
    const dataDir = join(dir, 'data', 'nested');
    const store = await createReadStore({ dataDir, mongodbUrl: '' });
    try {
      expect(store).toBeInstanceOf(SqliteReadStore);
      await store.collection('x').upsert({ _id: '1' });
      const raw = new Database(join(dataDir, READ_MODELS_FILE), {
        readonly: true,
      });
      expect(raw.prepare('SELECT COUNT(*) AS n FROM "x"').get()).toEqual({
        n: 1,
      });
      raw.close();
    } finally {
      await store.close();
    }
  });
});
