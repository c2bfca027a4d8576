import { AsyncLocalStorage } from 'node:async_hooks';
// NOTE: `import =` because the library tsconfig has no esModuleInterop (as in the event store).
import Database = require('better-sqlite3');
import { DuplicateKeyError } from './read-store.errors';
import type { Collection, Doc, Filter, FindOptions, IndexSpec, ReadStore, Scalar } from './read-store.port';
import {
  assertCollectionName,
  normalizeFilter,
  normalizeFindOptions,
  normalizeIndexes,
  toCheckpointText,
  toStoredDoc,
} from './read-store.query';
import type { NormalFilter, Predicate } from './read-store.query';

type Param = string | number;

/** A compiled SQL fragment and its bound parameters, in order of their `?`. */
interface Sql {
  text: string;
  params: Param[];
}

const CHECKPOINTS = '_checkpoints';
// A JS lower-casing function: SQLite's LOWER() only folds ASCII, MongoDB's /i folds Unicode.
const LOWER_FN = 'portcullis_lower';
const MAX_CACHED_STATEMENTS = 500;

function sql(text: string, ...params: Param[]): Sql {
  return { text, params };
}

function join(parts: Sql[], separator: string): Sql {
  return {
    text: parts.map((p) => p.text).join(separator),
    params: parts.flatMap((p) => p.params),
  };
}

/** The JSON path literal for a validated field path (identifiers only, so it needs no quoting). */
function jsonPath(path: string): string {
  return `'$.${path}'`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A condition on one value, given SQL for the value and for its json_type. Comparisons are within
 * one JSON type (as in MongoDB): 5 never equals '5', and strings never compare with numbers.
 */
function valuePredicate(p: Predicate, value: string, type: string): Sql {
  switch (p.op) {
    case '$eq':
    case '$ne':
      return scalarEquals(p.value, value, type);
    case '$in':
    case '$nin':
      return p.values.length === 0 ? sql('0') : inList(p.values, value, type);
    case '$contains':
      return sql(
        `(${type} = 'text' AND ${LOWER_FN}(${value}) LIKE ? ESCAPE '\\')`,
        `%${escapeLike(p.text.toLowerCase())}%`,
      );
    case '$exists':
      throw new Error('unreachable: $exists is a field-level predicate');
    default: {
      const operator = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[p.op];
      const v = p.value;
      if (typeof v === 'boolean') {
        return sql(`(${type} IN ('true', 'false') AND ${value} ${operator} ?)`, v ? 1 : 0);
      }
      const types = typeof v === 'number' ? `('integer', 'real')` : `('text')`;
      return sql(`(${type} IN ${types} AND ${value} ${operator} ?)`, v);
    }
  }
}

/**
 * Membership in a list: numbers and strings each as one `IN (…)` within their JSON type. One `=` term per
 * value would nest an OR per value, and SQLite refuses expressions deeper than 1000 (a visibility list of
 * a thousand namespace ids).
 */
function inList(values: Scalar[], value: string, type: string): Sql {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const strings = values.filter((v): v is string => typeof v === 'string');
  const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  const parts: Sql[] = values
    .filter((v) => typeof v !== 'number' && typeof v !== 'string')
    .map((v) => scalarEquals(v, value, type));
  if (numbers.length)
    parts.push(sql(`(${type} IN ('integer', 'real') AND ${value} IN (${marks(numbers.length)}))`, ...numbers));
  if (strings.length) parts.push(sql(`(${type} = 'text' AND ${value} IN (${marks(strings.length)}))`, ...strings));
  return join(parts, ' OR ');
}

function scalarEquals(v: Scalar, value: string, type: string): Sql {
  if (v === null) return sql(`${type} = 'null'`);
  if (typeof v === 'boolean') return sql(`${type} = '${v ? 'true' : 'false'}'`);
  if (typeof v === 'number') return sql(`(${type} IN ('integer', 'real') AND ${value} = ?)`, v);
  return sql(`(${type} = 'text' AND ${value} = ?)`, v);
}

/**
 * A condition on the field at `path`, MongoDB-style: it holds when the value satisfies it or, for an
 * array, when any element does. Negations ($ne, $nin) negate the whole of that, so `$ne: 'x'` also
 * matches documents without the field and arrays without 'x'.
 */
function fieldPredicate(path: string, p: Predicate): Sql {
  if (path === '_id') {
    // The primary-key column: always text, never an array, and indexed.
    if (p.op === '$exists') return sql(p.exists ? '1' : '0');
    const inner = valuePredicate(p, '_id', `'text'`);
    return p.op === '$ne' || p.op === '$nin' ? sql(`NOT (${inner.text})`, ...inner.params) : inner;
  }
  const jp = jsonPath(path);
  const type = `json_type(doc, ${jp})`;
  if (p.op === '$exists') return sql(`${type} IS ${p.exists ? 'NOT ' : ''}NULL`);

  const top = valuePredicate(p, `json_extract(doc, ${jp})`, type);
  const element = valuePredicate(p, 'value', 'type');
  const parts: Sql[] = [
    sql(`(${top.text})`, ...top.params),
    sql(
      `(${type} = 'array' AND EXISTS (SELECT 1 FROM json_each(doc, ${jp}) WHERE ${element.text}))`,
      ...element.params,
    ),
  ];
  // A missing field equals null, as in MongoDB.
  const matchesNull =
    ((p.op === '$eq' || p.op === '$ne') && p.value === null) ||
    ((p.op === '$in' || p.op === '$nin') && p.values.includes(null));
  if (matchesNull) parts.push(sql(`${type} IS NULL`));
  const any = join(parts, ' OR ');
  // A missing field makes the json_type comparisons NULL; that reads as false in WHERE, AND and
  // OR, but NOT NULL is NULL, so negations coalesce first.
  return p.op === '$ne' || p.op === '$nin'
    ? sql(`NOT IFNULL(${any.text}, 0)`, ...any.params)
    : sql(`(${any.text})`, ...any.params);
}

function compileFilter(filter: NormalFilter): Sql {
  const parts: Sql[] = [];
  for (const clause of filter.fields) {
    for (const p of clause.predicates) parts.push(fieldPredicate(clause.path, p));
  }
  if (filter.or) {
    const any = join(
      filter.or.map((f) => compileFilter(f)),
      ' OR ',
    );
    parts.push(sql(`(${any.text})`, ...any.params));
  }
  if (parts.length === 0) return sql('1');
  const all = join(parts, ' AND ');
  return sql(`(${all.text})`, ...all.params);
}

/**
 * ORDER BY terms for a field. Values are ranked by JSON type first, in MongoDB's BSON order
 * (null/missing < numbers < strings < objects < arrays < booleans), then by value; without the rank
 * json_extract would sort booleans among the numbers (as 0 and 1). Strings compare bytewise in both.
 */
function sortTerms(path: string, direction: 1 | -1): string {
  const dir = direction === 1 ? 'ASC' : 'DESC';
  if (path === '_id') return `_id ${dir}`;
  const jp = jsonPath(path);
  const rank =
    `CASE json_type(doc, ${jp}) WHEN 'integer' THEN 1 WHEN 'real' THEN 1 WHEN 'text' THEN 2 ` +
    `WHEN 'object' THEN 3 WHEN 'array' THEN 4 WHEN 'false' THEN 5 WHEN 'true' THEN 5 ELSE 0 END`;
  return `${rank} ${dir}, json_extract(doc, ${jp}) ${dir}`;
}

// NOTE: no `instanceof Error` here. better-sqlite3's native part keeps the SqliteError class of the
// first realm that loaded it, so under jest (a realm per test file) later files would see errors
// that fail `instanceof Error` and slip past the translation.
function isSqliteError(error: unknown, code: string): error is Error & { code: string } {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function isNoSuchTable(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    /^no such table/.test(String((error as { message?: unknown }).message))
  );
}

/**
 * SqliteReadStore is the embedded ReadStore adapter: one SQLite file (or ':memory:'), one table per
 * collection holding each document as JSON, queried with json_extract. The file is shared by
 * several processes (the projector writes, API processes read), hence WAL and a busy timeout.
 *
 * Differences from MongoReadStore, which the contract suite does not assert:
 * - unique indexes let several documents lack the indexed field (SQL NULLs are distinct), where
 *   MongoDB indexes a missing field as null; and they compare whole values, so a unique index on
 *   an array field is not multikey;
 * - dotted paths walk nested objects only, not arrays of objects;
 * - objects and arrays as sort keys compare as JSON text;
 * - reads on this connection while a batch() is open see the batch's uncommitted writes.
 */
export class SqliteReadStore implements ReadStore {
  /** batch() is one BEGIN IMMEDIATE transaction: the write lock is held from its start. */
  readonly atomicBatches = true;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly ensuredTables = new Set<string>();
  /** Set inside batch(), so nested batches and the batch's own writes skip the write lock. */
  private readonly inBatch = new AsyncLocalStorage<true>();
  private writeLockTail: Promise<void> = Promise.resolve();

  /** `filename` is a path, or ':memory:' for a private in-memory database. */
  constructor(filename: string) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.function(LOWER_FN, { deterministic: true }, (value: unknown) =>
      typeof value === 'string' ? value.toLowerCase() : value,
    );
    this.db.exec(`CREATE TABLE IF NOT EXISTS "${CHECKPOINTS}" (projection TEXT PRIMARY KEY, position TEXT NOT NULL)`);
  }

  collection<T extends Doc = Doc>(name: string): Collection<T> {
    assertCollectionName(name);
    return new SqliteCollection<T>(this, name);
  }

  async getCheckpoint(projection: string): Promise<bigint | null> {
    const row = this.statement(`SELECT position FROM "${CHECKPOINTS}" WHERE projection = ?`).get(projection) as
      { position: string } | undefined;
    return row ? BigInt(row.position) : null;
  }

  async setCheckpoint(projection: string, position: bigint): Promise<void> {
    const text = toCheckpointText(position);
    await this.write(() =>
      this.statement(
        `INSERT INTO "${CHECKPOINTS}" (projection, position) VALUES (?, ?) ` +
          `ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
      ).run(projection, text),
    );
  }

  async setCheckpoints(projections: readonly string[], position: bigint): Promise<void> {
    if (projections.length === 0) return;
    const text = toCheckpointText(position);
    const values = projections.map(() => '(?, ?)').join(', ');
    await this.write(() =>
      this.statement(
        `INSERT INTO "${CHECKPOINTS}" (projection, position) VALUES ${values} ` +
          `ON CONFLICT (projection) DO UPDATE SET position = excluded.position`,
      ).run(projections.flatMap((projection) => [projection, text])),
    );
  }

  async batch<R>(work: () => Promise<R>): Promise<R> {
    if (this.inBatch.getStore()) return work();
    return this.write(async () => {
      // IMMEDIATE takes the write lock now (waiting up to busy_timeout for another process),
      // instead of failing with SQLITE_BUSY at the first write inside the transaction.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.inBatch.run(true, work);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async dropCollections(collections: readonly string[], projections: readonly string[]): Promise<void> {
    collections.forEach(assertCollectionName);
    await this.batch(async () => {
      for (const name of collections) {
        this.db.exec(`DROP TABLE IF EXISTS "${name}"`);
        this.ensuredTables.delete(name);
      }
      const remove = this.statement(`DELETE FROM "${CHECKPOINTS}" WHERE projection = ?`);
      for (const projection of projections) remove.run(projection);
    });
    // Statements over dropped tables cannot be re-prepared; start afresh.
    this.statements.clear();
  }

  async ping(): Promise<void> {
    this.statement('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** statement prepares (once) and caches a statement; internal to the adapter. */
  statement(text: string): Database.Statement {
    const cached = this.statements.get(text);
    if (cached) return cached;
    if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
    const stmt = this.db.prepare(text);
    this.statements.set(text, stmt);
    return stmt;
  }

  /** ensureTable creates a collection's table if this connection has not seen it yet. */
  ensureTable(name: string): void {
    if (this.ensuredTables.has(name)) return;
    this.db.exec(`CREATE TABLE IF NOT EXISTS "${name}" (_id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
    this.ensuredTables.add(name);
  }

  /**
   * withTable runs `fn` on a collection's table, creating the table first. Another process may drop
   * the table (a projection rebuild) after this one created it; then it is re-created and `fn` runs
   * again.
   */
  withTable<R>(name: string, fn: () => R): R {
    this.ensureTable(name);
    try {
      return fn();
    } catch (error) {
      if (!isNoSuchTable(error)) throw error;
      this.ensuredTables.delete(name);
      this.statements.clear();
      this.ensureTable(name);
      return fn();
    }
  }

  /**
   * write runs a write alone: outside a batch it waits for any open batch() of this connection, so
   * that it is neither committed nor rolled back with that batch's writes.
   */
  async write<R>(fn: () => R | Promise<R>): Promise<R> {
    if (this.inBatch.getStore()) return fn();
    const previous = this.writeLockTail;
    let release!: () => void;
    this.writeLockTail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /**
   * queryPlan is SQLite's EXPLAIN QUERY PLAN for `collection.find(filter)`, one line per step: a
   * diagnostic for checking that a read model's indexes serve its queries.
   */
  queryPlan(collection: string, filter?: Filter): string[] {
    assertCollectionName(collection);
    const where = compileFilter(normalizeFilter(filter));
    const rows = this.withTable(collection, () =>
      this.db.prepare(`EXPLAIN QUERY PLAN SELECT doc FROM "${collection}" WHERE ${where.text}`).all(...where.params),
    ) as Array<{ detail: string }>;
    return rows.map((row) => row.detail);
  }

  /** exec runs DDL; internal to the adapter. */
  exec(text: string): void {
    this.db.exec(text);
  }

  /** indexSql is the stored CREATE statement of an index, or null if there is none. */
  indexSql(name: string): string | null {
    const row = this.statement(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`).get(name) as
      { sql: string } | undefined;
    return row?.sql ?? null;
  }
}

/** SqliteCollection is one collection of a SqliteReadStore. */
class SqliteCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly store: SqliteReadStore,
    private readonly name: string,
  ) {}

  async get(id: string): Promise<T | null> {
    const row = this.store.withTable(this.name, () =>
      this.store.statement(`SELECT doc FROM "${this.name}" WHERE _id = ?`).get(String(id)),
    ) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as T) : null;
  }

  async find(filter?: Filter, options?: FindOptions): Promise<T[]> {
    const where = compileFilter(normalizeFilter(filter));
    const { sort, skip, limit } = normalizeFindOptions(options);
    if (limit === 0) return [];
    const order = sort.map(([path, direction]) => sortTerms(path, direction));
    if (!sort.some(([path]) => path === '_id')) order.push('_id ASC');
    const text =
      `SELECT doc FROM "${this.name}" WHERE ${where.text} ORDER BY ${order.join(', ')}` + ` LIMIT ? OFFSET ?`;
    const rows = this.store.withTable(this.name, () =>
      this.store.statement(text).all(...where.params, limit ?? -1, skip),
    ) as Array<{ doc: string }>;
    return rows.map((row) => JSON.parse(row.doc) as T);
  }

  async findOne(filter: Filter): Promise<T | null> {
    const [first] = await this.find(filter, { limit: 1 });
    return first ?? null;
  }

  async count(filter?: Filter): Promise<number> {
    const where = compileFilter(normalizeFilter(filter));
    const row = this.store.withTable(this.name, () =>
      this.store.statement(`SELECT COUNT(*) AS n FROM "${this.name}" WHERE ${where.text}`).get(...where.params),
    ) as { n: number };
    return row.n;
  }

  async upsert(doc: T): Promise<void> {
    const { id, json } = toStoredDoc(doc);
    await this.store.write(() =>
      this.translate(() =>
        this.store.withTable(this.name, () =>
          this.store
            .statement(
              `INSERT INTO "${this.name}" (_id, doc) VALUES (?, ?) ` +
                `ON CONFLICT (_id) DO UPDATE SET doc = excluded.doc`,
            )
            .run(id, json),
        ),
      ),
    );
  }

  async replaceIf(doc: T, expected: Filter): Promise<boolean> {
    const { id, json } = toStoredDoc(doc);
    // In an upsert's DO UPDATE ... WHERE, unqualified columns are the existing row's, so the filter is
    // compared with what is stored; the write lock makes the test and the write one step.
    const where = compileFilter(normalizeFilter(expected));
    const result = await this.store.write(() =>
      this.translate(() =>
        this.store.withTable(this.name, () =>
          this.store
            .statement(
              `INSERT INTO "${this.name}" (_id, doc) VALUES (?, ?) ` +
                `ON CONFLICT (_id) DO UPDATE SET doc = excluded.doc WHERE ${where.text}`,
            )
            .run(id, json, ...where.params),
        ),
      ),
    );
    return result.changes > 0;
  }

  async delete(id: string): Promise<void> {
    await this.store.write(() =>
      this.store.withTable(this.name, () =>
        this.store.statement(`DELETE FROM "${this.name}" WHERE _id = ?`).run(String(id)),
      ),
    );
  }

  async deleteMany(filter: Filter): Promise<number> {
    const where = compileFilter(normalizeFilter(filter));
    const result = await this.store.write(() =>
      this.store.withTable(this.name, () =>
        this.store.statement(`DELETE FROM "${this.name}" WHERE ${where.text}`).run(...where.params),
      ),
    );
    return result.changes;
  }

  async ensureIndexes(indexes: readonly IndexSpec[]): Promise<void> {
    const specs = normalizeIndexes(indexes);
    await this.store.batch(async () => {
      this.store.ensureTable(this.name);
      for (const spec of specs) {
        // Index names are schema-wide in SQLite, so they are prefixed with the collection's.
        const indexName = `${this.name}__${spec.name}`;
        const columns = spec.fields
          .map(([path, direction]) => {
            const expr = path === '_id' ? '_id' : `json_extract(doc, ${jsonPath(path)})`;
            return `${expr} ${direction === 1 ? 'ASC' : 'DESC'}`;
          })
          .join(', ');
        const create = `CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX "${indexName}" ON "${this.name}" (${columns})`;
        const existing = this.store.indexSql(indexName);
        if (existing !== create) {
          // A changed definition replaces the old index (as MongoReadStore does).
          if (existing !== null) this.store.exec(`DROP INDEX "${indexName}"`);
          this.translate(() => this.store.exec(create));
        }
        // Equality is `(json_type = 'text' AND json_extract = ?) OR (json_type = 'array' AND ...)`
        // to match arrays as MongoDB does. With an index on json_type as well, SQLite answers both
        // arms from indexes (MULTI-INDEX OR) instead of scanning the table.
        const [leading] = spec.fields[0];
        if (leading !== '_id') {
          this.store.exec(
            `CREATE INDEX IF NOT EXISTS "${this.name}__type__${leading}" ` +
              `ON "${this.name}" (json_type(doc, ${jsonPath(leading)}))`,
          );
        }
      }
    });
  }

  /** translate turns SQLite's unique-constraint failure into DuplicateKeyError. */
  private translate<R>(fn: () => R): R {
    try {
      return fn();
    } catch (error) {
      if (isSqliteError(error, 'SQLITE_CONSTRAINT_UNIQUE')) {
        const match = /index '([^']+)'/.exec(error.message);
        const prefix = `${this.name}__`;
        const index = match?.[1]?.startsWith(prefix) ? match[1].slice(prefix.length) : undefined;
        throw new DuplicateKeyError(this.name, index, { cause: error });
      }
      throw error;
    }
  }
}
