/// <reference types="jest" />
// NOTE: a reference rather than @jest/globals, which is no declared dependency; this file is only
// imported by *.spec.ts files.
import { DuplicateKeyError, InvalidIdentifierError, InvalidQueryError } from './read-store.errors';
import type { Doc, Filter, ReadStore } from './read-store.port';

/** ReadStoreFactory opens a fresh, empty store for one test. */
export type ReadStoreFactory = () => Promise<ReadStore>;

interface User extends Doc {
  name: string;
  age?: number;
  active?: boolean;
  team?: { id: string; name?: string };
  tags?: string[];
  email?: string;
  nickname?: string | null;
}

const USERS: User[] = [
  {
    _id: 'u1',
    name: 'Alice',
    age: 30,
    active: true,
    team: { id: 't1', name: 'Core' },
    tags: ['admin', 'dev'],
    email: 'alice@Example.com',
  },
  {
    _id: 'u2',
    name: 'bob',
    age: 25,
    active: false,
    team: { id: 't2' },
    tags: ['dev'],
    nickname: null,
  },
  {
    _id: 'u3',
    name: 'Carol',
    age: 35.5,
    active: true,
    team: { id: 't1' },
    tags: [],
  },
  { _id: 'u4', name: 'dave', age: 25, tags: ['ops'] },
];

const ids = (docs: readonly Doc[]): string[] => docs.map((d) => d._id);

/**
 * describeReadStoreContract registers the behaviour every ReadStore adapter must show. It asserts
 * only what SQLite and MongoDB/FerretDB both do; adapter-specific behaviour (SQLite's rollback in
 * batch(), for one) belongs in the adapter's own spec.
 */
export function describeReadStoreContract(name: string, factory: ReadStoreFactory): void {
  describe(`ReadStore contract: ${name}`, () => {
    let store: ReadStore;

    beforeEach(async () => {
      store = await factory();
    });

    afterEach(async () => {
      await store.close();
    });

    async function seedUsers(): Promise<void> {
      const users = store.collection<User>('users');
      for (const user of USERS) await users.upsert(user);
    }

    async function findIds(filter: Filter): Promise<string[]> {
      return ids(await store.collection<User>('users').find(filter));
    }

    describe('documents', () => {
      it('upserts, gets and replaces whole documents', async () => {
        const users = store.collection<User>('users');
        expect(await users.get('u1')).toBeNull();
        await users.upsert(USERS[0]);
        expect(await users.get('u1')).toEqual(USERS[0]);

        await users.upsert({ _id: 'u1', name: 'Alice Liddell' });
        // Replaced, not merged: the old fields are gone.
        expect(await users.get('u1')).toEqual({
          _id: 'u1',
          name: 'Alice Liddell',
        });
        expect(await users.count()).toBe(1);
      });

      it('reads an unknown collection as empty', async () => {
        const empty = store.collection('neverWritten');
        expect(await empty.get('x')).toBeNull();
        expect(await empty.find()).toEqual([]);
        expect(await empty.findOne({ a: 1 })).toBeNull();
        expect(await empty.count()).toBe(0);
        expect(await empty.deleteMany({})).toBe(0);
      });

      it('keeps collections apart', async () => {
        await store.collection('a').upsert({ _id: 'x', in: 'a' });
        await store.collection('b').upsert({ _id: 'x', in: 'b' });
        expect(await store.collection('a').get('x')).toEqual({
          _id: 'x',
          in: 'a',
        });
        expect(await store.collection('b').get('x')).toEqual({
          _id: 'x',
          in: 'b',
        });
      });

      it('round-trips unicode in ids, keys and values', async () => {
        const doc = {
          _id: 'ключ-😀',
          name: 'Zoë 日本語 😀',
          名前: 'value',
          nested: { emoji: '🚀', rtl: 'שלום' },
          list: ['ä', 'ß', '\u0000x'],
        };
        await store.collection('unicode').upsert(doc);
        expect(await store.collection('unicode').get('ключ-😀')).toEqual(doc);
        expect(await store.collection('unicode').find({ name: 'Zoë 日本語 😀' })).toEqual([doc]);
        expect(ids(await store.collection('unicode').find({ name: { $contains: 'ZOË' } }))).toEqual(['ключ-😀']);
      });

      it('stores documents as their JSON form', async () => {
        const at = new Date('2024-05-06T07:08:09.000Z');
        await store.collection('json').upsert({
          _id: 'j',
          at: at as unknown as string,
          gone: undefined,
          n: 1.5,
          big: 2 ** 40,
        });
        expect(await store.collection('json').get('j')).toEqual({
          _id: 'j',
          at: '2024-05-06T07:08:09.000Z',
          n: 1.5,
          big: 2 ** 40,
        });
      });

      it('rejects a document without a string _id', async () => {
        await expect(store.collection('users').upsert({ _id: 7 } as unknown as Doc)).rejects.toThrow(InvalidQueryError);
        await expect(store.collection('users').upsert({ _id: '' })).rejects.toThrow(InvalidQueryError);
      });
    });

    describe('replaceIf (compare-and-set)', () => {
      it('inserts when absent, replaces only while the stored document matches, and says whether it wrote', async () => {
        const leases = store.collection('leases');
        expect(await leases.replaceIf({ _id: 'l', owner: 'a', epoch: 1 }, { epoch: 0 })).toBe(true);
        // A stale expectation (epoch 0, owner b) loses and changes nothing.
        expect(await leases.replaceIf({ _id: 'l', owner: 'b', epoch: 1 }, { epoch: 0 })).toBe(false);
        expect(await leases.replaceIf({ _id: 'l', owner: 'b', epoch: 2 }, { owner: 'b' })).toBe(false);
        expect(await leases.get('l')).toEqual({ _id: 'l', owner: 'a', epoch: 1 });
        expect(await leases.replaceIf({ _id: 'l', owner: 'b', epoch: 2 }, { owner: 'a', epoch: 1 })).toBe(true);
        expect(await leases.get('l')).toEqual({ _id: 'l', owner: 'b', epoch: 2 });
        // Writing the same content again still counts as a write (fencing re-asserts without changing).
        expect(await leases.replaceIf({ _id: 'l', owner: 'b', epoch: 2 }, { owner: 'b', epoch: 2 })).toBe(true);
        expect(await leases.count()).toBe(1);
      });

      it('lets exactly one of many racing writers with the same expectation win', async () => {
        const leases = store.collection('leases');
        await leases.upsert({ _id: 'l', owner: 'x', epoch: 1 });
        const wins = await Promise.all(
          ['a', 'b', 'c', 'd'].map((owner) => leases.replaceIf({ _id: 'l', owner, epoch: 2 }, { epoch: 1 })),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
        const won = ['a', 'b', 'c', 'd'][wins.indexOf(true)];
        expect(await leases.get('l')).toEqual({ _id: 'l', owner: won, epoch: 2 });
      });

      it('rejects hostile expectations like any filter', async () => {
        const leases = store.collection('leases');
        await expect(leases.replaceIf({ _id: 'l' }, { epoch: { $where: '1' } } as never)).rejects.toThrow();
        expect(await leases.count()).toBe(0);
      });
    });

    describe('filters', () => {
      beforeEach(seedUsers);

      it('matches scalar equality, within one type', async () => {
        expect(await findIds({ name: 'bob' })).toEqual(['u2']);
        expect(await findIds({ age: 25 })).toEqual(['u2', 'u4']);
        expect(await findIds({ age: 35.5 })).toEqual(['u3']);
        expect(await findIds({ active: true })).toEqual(['u1', 'u3']);
        expect(await findIds({ active: false })).toEqual(['u2']);
        expect(await findIds({ age: '25' })).toEqual([]);
        expect(await findIds({ name: 'bob', age: 25 })).toEqual(['u2']);
        expect(await findIds({ name: 'bob', $or: undefined })).toEqual(['u2']);
        expect(await findIds({ _id: 'u3' })).toEqual(['u3']);
      });

      it('treats a missing field as null', async () => {
        expect(await findIds({ nickname: null })).toEqual(['u1', 'u2', 'u3', 'u4']);
        expect(await findIds({ active: null })).toEqual(['u4']);
        expect(await findIds({ active: { $eq: null } })).toEqual(['u4']);
        expect(await findIds({ active: { $ne: null } })).toEqual(['u1', 'u2', 'u3']);
        expect(await findIds({ active: { $in: [null, false] } })).toEqual(['u2', 'u4']);
      });

      it('supports $eq and $ne', async () => {
        expect(await findIds({ name: { $eq: 'Carol' } })).toEqual(['u3']);
        expect(await findIds({ active: { $ne: true } })).toEqual(['u2', 'u4']);
        expect(await findIds({ age: { $ne: 25 } })).toEqual(['u1', 'u3']);
        expect(await findIds({ _id: { $ne: 'u1' } })).toEqual(['u2', 'u3', 'u4']);
      });

      it('supports $in and $nin', async () => {
        expect(await findIds({ age: { $in: [25, 35.5] } })).toEqual(['u2', 'u3', 'u4']);
        expect(await findIds({ name: { $in: [] } })).toEqual([]);
        expect(await findIds({ age: { $nin: [25] } })).toEqual(['u1', 'u3']);
        expect(await findIds({ age: { $nin: [] } })).toEqual(['u1', 'u2', 'u3', 'u4']);
        expect(await findIds({ _id: { $in: ['u4', 'u1', 'nope'] } })).toEqual(['u1', 'u4']);
        expect(await findIds({ _id: { $nin: ['u4', 'u1'] } })).toEqual(['u2', 'u3']);
      });

      it('supports $in and $nin with thousands of values (visibility lists of namespace ids)', async () => {
        const many = Array.from({ length: 5000 }, (_, i) => i + 1000);
        expect(await findIds({ age: { $in: [...many, 25] } })).toEqual(['u2', 'u4']);
        expect(await findIds({ age: { $nin: [...many, 25] } })).toEqual(['u1', 'u3']);
        expect(await findIds({ name: { $in: [...many.map(String), 'bob', null] } })).toEqual(['u2']);
        expect(await findIds({ tags: { $in: [...many.map(String), 'ops', 'admin'] } })).toEqual(['u1', 'u4']);
      });

      it('supports $gt, $gte, $lt and $lte on numbers', async () => {
        expect(await findIds({ age: { $gt: 25 } })).toEqual(['u1', 'u3']);
        expect(await findIds({ age: { $gte: 30 } })).toEqual(['u1', 'u3']);
        expect(await findIds({ age: { $lt: 30 } })).toEqual(['u2', 'u4']);
        expect(await findIds({ age: { $lte: 30 } })).toEqual(['u1', 'u2', 'u4']);
        expect(await findIds({ age: { $gt: 25, $lt: 35 } } as Filter)).toEqual(['u1']);
      });

      it('compares strings bytewise and never across types', async () => {
        // Lower case sorts after upper case, bytewise.
        expect(await findIds({ name: { $gte: 'a' } })).toEqual(['u2', 'u4']);
        expect(await findIds({ name: { $lt: 'C' } })).toEqual(['u1']);
        expect(await findIds({ age: { $gt: 'a' } })).toEqual([]);
        expect(await findIds({ name: { $gt: 0 } })).toEqual([]);
        expect(await findIds({ _id: { $gte: 'u3' } })).toEqual(['u3', 'u4']);
      });

      it('compares booleans false < true', async () => {
        expect(await findIds({ active: { $gt: false } })).toEqual(['u1', 'u3']);
        expect(await findIds({ active: { $lte: false } })).toEqual(['u2']);
      });

      it('supports $exists', async () => {
        expect(await findIds({ team: { $exists: false } })).toEqual(['u4']);
        expect(await findIds({ team: { $exists: true } })).toEqual(['u1', 'u2', 'u3']);
        // A field holding null exists.
        expect(await findIds({ nickname: { $exists: true } })).toEqual(['u2']);
      });

      it('follows dotted paths into nested objects', async () => {
        expect(await findIds({ 'team.id': 't1' })).toEqual(['u1', 'u3']);
        expect(await findIds({ 'team.name': { $exists: true } })).toEqual(['u1']);
        expect(await findIds({ 'team.id': { $ne: 't1' } })).toEqual(['u2', 'u4']);
        expect(await findIds({ 'team.name': { $contains: 'or' } })).toEqual(['u1']);
      });

      it('matches array fields when any element matches', async () => {
        expect(await findIds({ tags: 'dev' })).toEqual(['u1', 'u2']);
        expect(await findIds({ tags: { $eq: 'ops' } })).toEqual(['u4']);
        expect(await findIds({ tags: { $in: ['ops', 'admin'] } })).toEqual(['u1', 'u4']);
        expect(await findIds({ tags: { $ne: 'dev' } })).toEqual(['u3', 'u4']);
        expect(await findIds({ tags: { $nin: ['dev', 'ops'] } })).toEqual(['u3']);
        expect(await findIds({ tags: { $contains: 'AD' } })).toEqual(['u1']);
        expect(await findIds({ tags: { $gt: 'e' } })).toEqual(['u4']);
      });

      it('supports $or, alone and with other conditions', async () => {
        expect(await findIds({ $or: [{ name: 'bob' }, { 'team.id': 't1' }] })).toEqual(['u1', 'u2', 'u3']);
        expect(
          await findIds({
            active: true,
            $or: [{ age: { $lt: 31 } }, { name: 'dave' }],
          }),
        ).toEqual(['u1']);
        expect(
          await findIds({
            $or: [{ $or: [{ name: 'dave' }] }, { tags: { $ne: 'dev' } }],
          }),
        ).toEqual(['u3', 'u4']);
      });

      it('matches $contains case-insensitively as a substring', async () => {
        expect(await findIds({ name: { $contains: 'AL' } })).toEqual(['u1']);
        expect(await findIds({ name: { $contains: 'a' } })).toEqual(['u1', 'u3', 'u4']);
        expect(await findIds({ email: { $contains: 'EXAMPLE.COM' } })).toEqual(['u1']);
        expect(await findIds({ email: { $contains: 'example,com' } })).toEqual([]);
        // $contains only matches strings.
        expect(await findIds({ age: { $contains: '25' } })).toEqual([]);
      });

      it('treats hostile values as plain values', async () => {
        expect(await findIds({ name: "' OR 1=1 --" })).toEqual([]);
        expect(await findIds({ name: { $in: ["') OR ('1'='1", 'bob'] } })).toEqual(['u2']);
        expect(await findIds({ name: { $contains: "%' OR 1=1 --" } })).toEqual([]);
      });

      it('rejects operators and values outside the port', async () => {
        const users = store.collection('users');
        const bad: unknown[] = [
          { name: { $regex: '.*' } },
          { name: { $where: 'true' } },
          { name: { $gt: {} } },
          { name: { $eq: { $ne: 1 } } },
          { name: { $in: 'bob' } },
          { name: { $in: [{ $gt: '' }] } },
          { name: { $gt: null } },
          { name: { $contains: 5 } },
          { name: { $exists: 1 } },
          { name: {} },
          { name: ['bob'] },
          { name: undefined },
          { $or: [] },
          { $or: { name: 'bob' } },
          { $and: [{ name: 'bob' }] },
          { age: Number.NaN },
        ];
        for (const filter of bad) {
          await expect(users.find(filter as Filter)).rejects.toThrow(
            /invalid field path|expected|unsupported|cannot|empty|\$or/,
          );
        }
        await expect(users.find({ name: { $regex: '.*' } } as unknown as Filter)).rejects.toThrow(InvalidQueryError);
        await expect(users.count({ name: { $gt: {} } } as unknown as Filter)).rejects.toThrow(InvalidQueryError);
        await expect(users.deleteMany({ name: { $ne: {} } } as unknown as Filter)).rejects.toThrow(InvalidQueryError);
        expect(await users.count()).toBe(4);
      });
    });

    describe('$contains with hostile input', () => {
      const names = ['a%b', 'a_b', 'axb', 'a.*b', 'f(x)', 'back\\slash', 'brackets[x]', 'plain'];

      beforeEach(async () => {
        const things = store.collection('things');
        for (const [i, name] of names.entries()) await things.upsert({ _id: `t${i}`, name });
      });

      it.each([
        ['%', ['a%b']],
        ['_', ['a_b']],
        ['.*', ['a.*b']],
        ['.', ['a.*b']],
        ['(', ['f(x)']],
        ['\\', ['back\\slash']],
        ['[x]', ['brackets[x]']],
        ['^a', []],
        ['b$', []],
        ['a|p', []],
      ])('finds %j literally', async (text, expected) => {
        const found = await store.collection('things').find({ name: { $contains: text } });
        expect(found.map((d) => d['name'])).toEqual(expected);
      });

      it('matches everything with an empty string', async () => {
        expect(await store.collection('things').count({ name: { $contains: '' } })).toBe(names.length);
      });
    });

    describe('sorting and paging', () => {
      // Ties on (group, score) are broken by _id ascending.
      const rows = [
        { _id: 'r5', group: 'b', score: 1 },
        { _id: 'r1', group: 'a', score: 2 },
        { _id: 'r3', group: 'a', score: 2 },
        { _id: 'r2', group: 'a', score: 9 },
        { _id: 'r7', group: 'b', score: 1 },
        { _id: 'r4', group: 'b', score: 5 },
        { _id: 'r6', group: 'a', score: -1.5 },
      ];
      const sorted = ['r2', 'r1', 'r3', 'r6', 'r4', 'r5', 'r7'];

      beforeEach(async () => {
        for (const row of rows) await store.collection('rows').upsert(row);
      });

      it('sorts by several keys with _id as tie-break', async () => {
        const all = await store.collection('rows').find(
          {},
          {
            sort: [
              ['group', 1],
              ['score', -1],
            ],
          },
        );
        expect(ids(all)).toEqual(sorted);
      });

      it('pages with skip and limit without gaps or repeats', async () => {
        const sort = [
          ['group', 1],
          ['score', -1],
        ] as const;
        const pages: string[] = [];
        for (let skip = 0; skip < rows.length + 3; skip += 3) {
          pages.push(...ids(await store.collection('rows').find({}, { sort, skip, limit: 3 })));
        }
        expect(pages).toEqual(sorted);
        expect(await store.collection('rows').find({}, { sort, skip: 100 })).toEqual([]);
        expect(await store.collection('rows').find({}, { sort, limit: 0 })).toEqual([]);
        expect(ids(await store.collection('rows').find({ group: 'b' }, { sort, skip: 1 }))).toEqual(['r5', 'r7']);
      });

      it('orders by _id when no sort is given, and sorts by _id descending', async () => {
        expect(ids(await store.collection('rows').find())).toEqual([...sorted].sort());
        expect(ids(await store.collection('rows').find({}, { sort: [['_id', -1]] }))).toEqual(
          [...sorted].sort().reverse(),
        );
        expect(ids([(await store.collection('rows').findOne({ group: 'b' })) as Doc])).toEqual(['r4']);
      });

      it('sorts strings bytewise, booleans false first, and null or missing first', async () => {
        const mixed = store.collection('mixed');
        await mixed.upsert({ _id: 'm1', s: 'b', flag: true, n: 3 });
        await mixed.upsert({ _id: 'm2', s: 'B', flag: false, n: null });
        await mixed.upsert({ _id: 'm3', s: 'a', flag: true });
        await mixed.upsert({ _id: 'm4', s: 'Ä', flag: false, n: -2 });
        expect(ids(await mixed.find({}, { sort: [['s', 1]] }))).toEqual(['m2', 'm3', 'm1', 'm4']);
        expect(ids(await mixed.find({}, { sort: [['flag', 1]] }))).toEqual(['m2', 'm4', 'm1', 'm3']);
        expect(ids(await mixed.find({}, { sort: [['flag', -1]] }))).toEqual(['m1', 'm3', 'm2', 'm4']);
        // Null and missing sort together, before numbers, and after them when descending.
        expect(ids(await mixed.find({}, { sort: [['n', 1]] }))).toEqual(['m2', 'm3', 'm4', 'm1']);
        expect(ids(await mixed.find({}, { sort: [['n', -1]] }))).toEqual(['m1', 'm4', 'm2', 'm3']);
      });

      it('sorts by dotted paths', async () => {
        const nested = store.collection('nested');
        await nested.upsert({ _id: 'n1', meta: { rank: 2 } });
        await nested.upsert({ _id: 'n2', meta: { rank: 1 } });
        await nested.upsert({ _id: 'n3', meta: { rank: 3 } });
        expect(ids(await nested.find({}, { sort: [['meta.rank', -1]] }))).toEqual(['n3', 'n1', 'n2']);
      });

      it('rejects bad sort and page options', async () => {
        const c = store.collection('rows');
        await expect(c.find({}, { sort: [['score', 2 as 1]] })).rejects.toThrow(InvalidQueryError);
        await expect(c.find({}, { skip: -1 })).rejects.toThrow(InvalidQueryError);
        await expect(c.find({}, { limit: 1.5 })).rejects.toThrow(InvalidQueryError);
      });
    });

    describe('count and delete', () => {
      beforeEach(seedUsers);

      it('counts with and without a filter', async () => {
        const users = store.collection('users');
        expect(await users.count()).toBe(4);
        expect(await users.count({})).toBe(4);
        expect(await users.count({ age: 25 })).toBe(2);
        expect(
          await users.count({
            $or: [{ tags: 'ops' }, { name: { $contains: 'CAR' } }],
          }),
        ).toBe(2);
      });

      it('deletes one document, and ignores an unknown id', async () => {
        const users = store.collection('users');
        await users.delete('u2');
        await users.delete('nope');
        expect(await users.get('u2')).toBeNull();
        expect(ids(await users.find())).toEqual(['u1', 'u3', 'u4']);
      });

      it('deletes many and says how many', async () => {
        const users = store.collection('users');
        expect(await users.deleteMany({ age: 25 })).toBe(2);
        expect(await users.deleteMany({ age: 25 })).toBe(0);
        expect(ids(await users.find())).toEqual(['u1', 'u3']);
        expect(await users.deleteMany({})).toBe(2);
        expect(await users.count()).toBe(0);
      });
    });

    describe('indexes', () => {
      const emailUnique = [{ name: 'email_unique', fields: [['email', 1]] as const, unique: true }];

      it('rejects a second document with the same unique key, changing nothing', async () => {
        const users = store.collection<User>('users');
        await users.ensureIndexes(emailUnique);
        await users.ensureIndexes(emailUnique); // idempotent
        await users.upsert({ _id: 'u1', name: 'Alice', email: 'a@x' });
        await users.upsert({ _id: 'u2', name: 'Bob', email: 'b@x' });

        const insert = users.upsert({
          _id: 'u3',
          name: 'Mallory',
          email: 'a@x',
        });
        await expect(insert).rejects.toThrow(DuplicateKeyError);
        await expect(insert).rejects.toMatchObject({ collection: 'users' });
        expect(await users.get('u3')).toBeNull();

        await expect(users.upsert({ _id: 'u2', name: 'Bob', email: 'a@x' })).rejects.toThrow(DuplicateKeyError);
        expect(await users.get('u2')).toEqual({
          _id: 'u2',
          name: 'Bob',
          email: 'b@x',
        });
        expect(await users.count()).toBe(2);

        // Replacing a document with its own key is no conflict.
        await users.upsert({ _id: 'u1', name: 'Alice L.', email: 'a@x' });
        expect((await users.get('u1'))?.name).toBe('Alice L.');
      });

      it('enforces compound unique keys as a whole', async () => {
        const members = store.collection('members');
        await members.ensureIndexes([
          {
            name: 'team_user',
            fields: [
              ['teamId', 1],
              ['userId', 1],
            ],
            unique: true,
          },
          { name: 'by_user', fields: [['userId', 1]] },
        ]);
        await members.upsert({ _id: 'm1', teamId: 't1', userId: 'u1' });
        await members.upsert({ _id: 'm2', teamId: 't1', userId: 'u2' });
        await members.upsert({ _id: 'm3', teamId: 't2', userId: 'u1' });
        await expect(members.upsert({ _id: 'm4', teamId: 't2', userId: 'u1' })).rejects.toThrow(DuplicateKeyError);
        expect(await members.count({ userId: 'u1' })).toBe(2);
      });

      it('refuses to build a unique index over duplicates', async () => {
        const users = store.collection('users');
        await users.upsert({ _id: 'u1', email: 'same' });
        await users.upsert({ _id: 'u2', email: 'same' });
        await expect(users.ensureIndexes(emailUnique)).rejects.toThrow(DuplicateKeyError);
        // Without the index, duplicates may still be written.
        await users.upsert({ _id: 'u3', email: 'same' });
        expect(await users.count({ email: 'same' })).toBe(3);
      });

      it('supports indexes on dotted paths and descending keys', async () => {
        const c = store.collection('indexed');
        await c.ensureIndexes([
          { name: 'team_id_desc', fields: [['team.id', -1]] },
          { name: 'nested_unique', fields: [['a.b', 1]], unique: true },
        ]);
        await c.upsert({ _id: '1', team: { id: 'x' }, a: { b: 1 } });
        await expect(c.upsert({ _id: '2', a: { b: 1 } })).rejects.toThrow(DuplicateKeyError);
        expect(ids(await c.find({ 'team.id': 'x' }))).toEqual(['1']);
      });
    });

    describe('checkpoints', () => {
      it('gets, sets and overwrites per projection', async () => {
        expect(await store.getCheckpoint('users')).toBeNull();
        await store.setCheckpoint('users', 5n);
        await store.setCheckpoint('teams', 0n);
        expect(await store.getCheckpoint('users')).toBe(5n);
        expect(await store.getCheckpoint('teams')).toBe(0n);
        await store.setCheckpoint('users', 6n);
        expect(await store.getCheckpoint('users')).toBe(6n);
      });

      it('round-trips positions beyond 2^53', async () => {
        const big = 2n ** 64n + 12_345n;
        await store.setCheckpoint('big', big);
        expect(await store.getCheckpoint('big')).toBe(big);
        await store.setCheckpoint('big', 2n ** 53n + 1n);
        expect(await store.getCheckpoint('big')).toBe(9_007_199_254_740_993n);
      });

      it('rejects a negative position', async () => {
        await expect(store.setCheckpoint('users', -1n)).rejects.toThrow(InvalidQueryError);
        await expect(store.setCheckpoints(['users', 'teams'], -1n)).rejects.toThrow(InvalidQueryError);
        expect(await store.getCheckpoint('teams')).toBeNull();
      });

      it('sets several projections at once, new and existing, and nothing else', async () => {
        await store.setCheckpoint('users', 5n);
        await store.setCheckpoint('stars', 1n);
        await store.setCheckpoints(['users', 'teams', 'tags'], 2n ** 60n + 7n);
        expect(await store.getCheckpoint('users')).toBe(2n ** 60n + 7n);
        expect(await store.getCheckpoint('teams')).toBe(2n ** 60n + 7n);
        expect(await store.getCheckpoint('tags')).toBe(2n ** 60n + 7n);
        expect(await store.getCheckpoint('stars')).toBe(1n);
        await store.setCheckpoints([], 9n);
        expect(await store.getCheckpoint('stars')).toBe(1n);
      });

      it('sets checkpoints inside a batch', async () => {
        await store.setCheckpoint('users', 1n);
        await expect(
          store.batch(async () => {
            await store.setCheckpoints(['users', 'teams'], 3n);
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        // SQLite rolls back; MongoDB (no transactions) keeps what was written: both are allowed by the port,
        // and only the checkpoint written inside a committed batch is relied on.
        await store.batch(() => store.setCheckpoints(['users', 'teams'], 4n));
        expect(await store.getCheckpoint('users')).toBe(4n);
        expect(await store.getCheckpoint('teams')).toBe(4n);
      });
    });

    describe('dropCollections', () => {
      it('clears the named collections and checkpoints, and nothing else', async () => {
        await seedUsers();
        await store.collection('teams').upsert({ _id: 't1' });
        await store.collection('users').ensureIndexes([{ name: 'name_unique', fields: [['name', 1]], unique: true }]);
        await store.setCheckpoint('users', 10n);
        await store.setCheckpoint('teams', 20n);

        await store.dropCollections(['users', 'neverCreated'], ['users', 'neverSet']);

        expect(await store.collection('users').count()).toBe(0);
        expect(await store.collection('users').get('u1')).toBeNull();
        expect(await store.getCheckpoint('users')).toBeNull();
        expect(await store.collection('teams').count()).toBe(1);
        expect(await store.getCheckpoint('teams')).toBe(20n);

        // Usable again at once, and its indexes went with it.
        await store.collection('users').upsert({ _id: 'a', name: 'same' });
        await store.collection('users').upsert({ _id: 'b', name: 'same' });
        expect(await store.collection('users').count()).toBe(2);
      });
    });

    describe('hostile identifiers', () => {
      it.each([
        '',
        'a b',
        'users"; DROP TABLE users; --',
        "users'",
        'system.users',
        '_checkpoints',
        'sqlite_master',
        '$cmd',
        'a.b',
        'a-b',
        'é',
        '1abc',
        'a'.repeat(64),
      ])('rejects collection name %j', async (name) => {
        expect(() => store.collection(name)).toThrow(InvalidIdentifierError);
        expect(() => store.collection(name)).toThrow(/invalid collection name/);
        await expect(store.dropCollections([name], [])).rejects.toThrow(InvalidIdentifierError);
      });

      it.each(["name') OR 1=1 --", '$where', 'a..b', '.a', 'a.', 'a.$b', 'a b', 'a[0]', 'a.0', "a'", ''])(
        'rejects field path %j in filters, sorts and indexes',
        async (path) => {
          await seedUsers();
          const users = store.collection('users');
          await expect(users.find({ [path]: 1 })).rejects.toThrow(InvalidIdentifierError);
          await expect(users.find({ [path]: 1 })).rejects.toThrow(/invalid field path/);
          await expect(users.find({ $or: [{ [path]: 'x' }] })).rejects.toThrow(InvalidIdentifierError);
          await expect(users.count({ [path]: { $exists: true } })).rejects.toThrow(InvalidIdentifierError);
          await expect(users.deleteMany({ [path]: { $ne: 1 } })).rejects.toThrow(InvalidIdentifierError);
          await expect(users.find({}, { sort: [[path, 1]] })).rejects.toThrow(InvalidIdentifierError);
          await expect(users.ensureIndexes([{ name: 'i', fields: [[path, 1]] }])).rejects.toThrow(
            InvalidIdentifierError,
          );
          expect(await users.count()).toBe(4);
        },
      );

      it('rejects hostile index names', async () => {
        await expect(
          store.collection('users').ensureIndexes([{ name: 'x"; DROP TABLE users; --', fields: [['name', 1]] }]),
        ).rejects.toThrow(InvalidIdentifierError);
      });
    });

    describe('batch', () => {
      it('commits all its writes and returns the work result', async () => {
        const result = await store.batch(async () => {
          await store.collection('users').upsert({ _id: 'b1', name: 'one' });
          await store.collection('teams').upsert({ _id: 't1', name: 'team' });
          await store.collection('users').delete('nope');
          await store.setCheckpoint('users', 3n);
          return 'done';
        });
        expect(result).toBe('done');
        expect(await store.collection('users').get('b1')).toEqual({
          _id: 'b1',
          name: 'one',
        });
        expect(await store.collection('teams').count()).toBe(1);
        expect(await store.getCheckpoint('users')).toBe(3n);
      });

      it('runs nested batches inside the outer one, reading its own writes', async () => {
        await store.batch(async () => {
          await store.collection('users').upsert({ _id: 'o', name: 'outer' });
          await store.batch(async () => {
            expect(await store.collection('users').get('o')).toEqual({
              _id: 'o',
              name: 'outer',
            });
            await store.collection('users').upsert({ _id: 'i', name: 'inner' });
          });
          expect(await store.collection('users').count()).toBe(2);
        });
        expect(ids(await store.collection('users').find())).toEqual(['i', 'o']);
      });

      it('passes errors from the work on', async () => {
        await expect(
          store.batch(async () => {
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        // The store stays usable.
        await store.collection('users').upsert({ _id: 'after' });
        expect(await store.collection('users').count()).toBe(1);
      });
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
