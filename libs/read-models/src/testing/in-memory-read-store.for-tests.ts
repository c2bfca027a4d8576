import type {
  Collection,
  Doc,
  FieldCondition,
  Filter,
  FindOptions,
  IndexSpec,
  ReadStore,
  Scalar,
} from '@portcullis/persistence';

type Data = Map<string, Map<string, Doc>>;

/**
 * InMemoryReadStoreForTests is a ReadStore in a Map, with the port's filter semantics (dotted paths,
 * array equality, `$or`, case-insensitive `$contains`) and all-or-nothing batches like SQLite's.
 * Documents are copied in and out, as a real store serialises them.
 */
export class InMemoryReadStoreForTests implements ReadStore {
  private data: Data = new Map();
  private checkpoints = new Map<string, bigint>();
  private inBatch = false;
  /** indexes records every ensureIndexes call, by collection. */
  readonly indexes = new Map<string, IndexSpec[]>();
  /** batches counts committed top-level batches. */
  batches = 0;

  collection<T extends Doc = Doc>(name: string): Collection<T> {
    const docs = () => {
      let c = this.data.get(name);
      if (!c) this.data.set(name, (c = new Map()));
      return c;
    };
    const all = (filter: Filter = {}) => [...docs().values()].filter((d) => matches(d, filter));
    return {
      get: async (id) => copy((docs().get(id) as T | undefined) ?? null),
      find: async (filter, options) => findIn(all(filter), options).map((d) => copy(d) as T),
      findOne: async (filter) => copy((findIn(all(filter), { limit: 1 })[0] as T | undefined) ?? null),
      count: async (filter) => all(filter).length,
      upsert: async (doc) => {
        docs().set(doc._id, copy(doc));
      },
      replaceIf: async (doc, expected) => {
        const current = docs().get(doc._id);
        if (current && !matches(current, expected)) return false;
        docs().set(doc._id, copy(doc));
        return true;
      },
      delete: async (id) => {
        docs().delete(id);
      },
      deleteMany: async (filter) => {
        const gone = all(filter);
        for (const d of gone) docs().delete(d._id);
        return gone.length;
      },
      ensureIndexes: async (specs) => {
        this.indexes.set(name, [...(this.indexes.get(name) ?? []), ...specs]);
      },
    };
  }

  async getCheckpoint(projection: string): Promise<bigint | null> {
    return this.checkpoints.get(projection) ?? null;
  }

  async setCheckpoint(projection: string, position: bigint): Promise<void> {
    this.checkpoints.set(projection, position);
  }

  async setCheckpoints(projections: readonly string[], position: bigint): Promise<void> {
    for (const projection of projections) this.checkpoints.set(projection, position);
  }

  async batch<R>(work: () => Promise<R>): Promise<R> {
    if (this.inBatch) return work();
    const data = cloneData(this.data);
    const checkpoints = new Map(this.checkpoints);
    this.inBatch = true;
    try {
      const result = await work();
      this.batches += 1;
      return result;
    } catch (error) {
      this.data = data;
      this.checkpoints = checkpoints;
      throw error;
    } finally {
      this.inBatch = false;
    }
  }

  async dropCollections(collections: readonly string[], projections: readonly string[]): Promise<void> {
    for (const c of collections) this.data.delete(c);
    for (const p of projections) this.checkpoints.delete(p);
  }

  async ping(): Promise<void> {
    return;
  }

  async close(): Promise<void> {
    return;
  }

  /** dump returns every document of the named collections, sorted by `_id`, for deep-equal checks. */
  dump(collections: readonly string[]): Record<string, Doc[]> {
    return Object.fromEntries(
      collections.map((c) => [
        c,
        [...(this.data.get(c)?.values() ?? [])]
          .map((d) => copy(d))
          .sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)),
      ]),
    );
  }
}

function copy<T>(value: T): T {
  return value === null ? value : structuredClone(value);
}

function cloneData(data: Data): Data {
  return new Map([...data].map(([k, docs]) => [k, new Map([...docs].map(([id, d]) => [id, copy(d)]))]));
}

function valueAt(doc: Doc, path: string): unknown {
  let v: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function matches(doc: Doc, filter: Filter): boolean {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$or') {
      if (!(condition as unknown as Filter[]).some((f) => matches(doc, f))) return false;
    } else if (!holds(valueAt(doc, field), condition as FieldCondition)) return false;
  }
  return true;
}

function equal(value: unknown, scalar: Scalar): boolean {
  if (Array.isArray(value)) return value.some((v) => (v ?? null) === scalar);
  return (value ?? null) === scalar;
}

function holds(value: unknown, c: FieldCondition): boolean {
  if (c === null || typeof c !== 'object') return equal(value, c);
  if ('$eq' in c) return equal(value, c.$eq);
  if ('$ne' in c) return !equal(value, c.$ne);
  if ('$in' in c) return c.$in.some((s) => equal(value, s));
  if ('$nin' in c) return !c.$nin.some((s) => equal(value, s));
  if ('$exists' in c) return (value !== undefined) === c.$exists;
  if ('$contains' in c) return typeof value === 'string' && value.toLowerCase().includes(c.$contains.toLowerCase());
  const [op, bound] = Object.entries(c)[0] as [string, Scalar];
  if (value === null || value === undefined || bound === null || typeof value !== typeof bound) return false;
  const cmp = compare(value, bound);
  return op === '$gt' ? cmp > 0 : op === '$gte' ? cmp >= 0 : op === '$lt' ? cmp < 0 : cmp <= 0;
}

function compare(a: unknown, b: unknown): number {
  // Missing and null sort first, as in MongoDB.
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return Number(a) - Number(b);
}

function findIn(docs: Doc[], options: FindOptions = {}): Doc[] {
  const sort = [...(options.sort ?? []), ['_id', 1] as const];
  const sorted = [...docs].sort((a, b) => {
    for (const [field, dir] of sort) {
      const c = compare(valueAt(a, field), valueAt(b, field));
      if (c !== 0) return c * dir;
    }
    return 0;
  });
  const skip = options.skip ?? 0;
  return sorted.slice(skip, options.limit === undefined ? undefined : skip + options.limit);
}
