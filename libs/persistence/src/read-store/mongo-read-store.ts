import { randomUUID } from 'node:crypto';
import {
  MongoClient,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import type {
  Collection as MongoCollection,
  Db,
  Document,
  Filter as MongoFilter,
  IndexDescription,
  MongoClientOptions,
  ReadConcernLevel,
  Sort,
} from 'mongodb';
import { StoreUnavailableError } from '../event-store/event-store.port';
import {
  SILENT_LOGGER,
  type AdapterLogger,
  type ComponentHealth,
  type HealthReporter,
} from '../shared/component-health';
import { redactCredentials } from '../shared/redact';
import { DuplicateKeyError } from './read-store.errors';
import type { Collection, Doc, Filter, FindOptions, IndexSpec, ReadStore } from './read-store.port';
import {
  assertCollectionName,
  normalizeFilter,
  normalizeFindOptions,
  normalizeIndexes,
  toCheckpointText,
  toStoredDoc,
} from './read-store.query';
import type { NormalFilter, Predicate } from './read-store.query';

const CHECKPOINTS = '_checkpoints';
const CAS_LOCKS = '_cas_locks';
// A replaceIf holds its lock for one replace (milliseconds); one older than this was left by a dead process.
const CAS_LOCK_STALE_MS = 2000;
const DEFAULT_DATABASE = 'portcullis';
const DUPLICATE_KEY = 11000;
const INTERNAL_ERROR = 1;
const NAMESPACE_NOT_FOUND = 26;

/** MongoReadStoreOptions are the production settings of a MongoReadStore; they win over the URL's. */
export interface MongoReadStoreOptions {
  /** writeConcern: 'majority' (default: a write survives a failover) or a number of members (1 = primary only). */
  readonly writeConcern?: 'majority' | number;
  /** readConcern: 'majority' (default: never read what a failover could roll back), 'local' or 'available'. */
  readonly readConcern?: 'majority' | 'local' | 'available';
  /** serverSelectionTimeoutMs: how long a call waits for a usable server before ReadStoreUnavailableError (default 5 s). */
  readonly serverSelectionTimeoutMs?: number;
  /** logger hears when MongoDB becomes unreachable and when it is back (once per change, no secrets). */
  readonly logger?: AdapterLogger;
}

/** ReadStoreUnavailableError: MongoDB could not be reached (no server selectable, connection lost); HTTP 503. */
export class ReadStoreUnavailableError extends StoreUnavailableError {
  constructor(message: string, cause?: unknown) {
    super(message, cause);
    this.name = 'ReadStoreUnavailableError';
  }
}

/** safeMongoUrl is a mongodb:// URL without user-info and options, for logs and health messages. */
export function safeMongoUrl(url: string): string {
  return redactCredentials(url.trim()).replace(/\?.*$/, '');
}

/**
 * checkMongoUrl throws when the driver cannot use `url` (scheme, hosts, options), with a message that
 * never quotes credentials. It connects to nothing: the driver parses the URL in its constructor.
 */
export function checkMongoUrl(url: string): void {
  try {
    new MongoClient(url.trim());
  } catch (error) {
    throw new Error(`not a usable MongoDB URL: ${reason(error)}`);
  }
}

/** isConnectionError tells the driver's "cannot reach a server" errors from answers of a reachable server. */
function isConnectionError(error: unknown): boolean {
  return (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoTopologyClosedError
  );
}

/** Guard runs a driver call and turns connection failures into ReadStoreUnavailableError. */
type Guard = <R>(what: string, fn: () => Promise<R>) => Promise<R>;

interface CasLockDoc {
  _id: string;
  at: number;
  token: string;
}

/**
 * CasLocks makes replaceIf atomic on servers whose conditional updates are not (FerretDB 1.x reads the
 * matching documents, then writes them by _id, so four racers with the same expectation all "match").
 * Inserts of one _id and deletes are atomic there, so a lock document per target serializes the racers;
 * a racer that finds the lock taken has lost (someone else is changing the document). A lock left by a
 * process that died mid-write is taken over after CAS_LOCK_STALE_MS by exactly one racer (the delete of
 * that exact lock matches once).
 */
class CasLocks {
  constructor(private readonly locks: MongoCollection<CasLockDoc>) {}

  async run(key: string, write: () => Promise<boolean>): Promise<boolean> {
    const token = randomUUID();
    if (!(await this.acquire(key, token))) return false;
    try {
      return await write();
    } finally {
      await this.locks.deleteOne({ _id: key, token }).catch(() => undefined);
    }
  }

  private async acquire(key: string, token: string): Promise<boolean> {
    if (await this.insert(key, token)) return true;
    const held = await this.locks.findOne({ _id: key });
    if (held && Date.now() - held.at < CAS_LOCK_STALE_MS) return false;
    if (held) {
      const taken = await this.locks.deleteOne({ _id: key, token: held.token });
      if (taken.deletedCount !== 1) return false;
    }
    return this.insert(key, token);
  }

  private async insert(key: string, token: string): Promise<boolean> {
    try {
      await this.locks.insertOne({ _id: key, at: Date.now(), token });
      return true;
    } catch (error) {
      if (isDuplicateKey(error) || isDuplicateId(error)) return false;
      throw error;
    }
  }
}

interface CheckpointDoc {
  _id: string;
  position: string;
}

/**
 * escapeRegex makes user input a literal in a regular expression, for both PCRE (MongoDB) and RE2
 * (FerretDB): every character with a meaning in either is backslash-escaped.
 */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * databaseNameFromUrl is the database named by a mongodb:// URL's path, or 'portcullis'. Parsed by
 * hand because multi-host URLs (`mongodb://a:1,b:2/db`) are not WHATWG URLs.
 */
export function databaseNameFromUrl(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(url);
  const name = match?.[1] ? decodeURIComponent(match[1]) : '';
  return name === '' ? DEFAULT_DATABASE : name;
}

function predicate(p: Predicate): Document {
  switch (p.op) {
    case '$in':
    case '$nin':
      return { [p.op]: p.values };
    case '$contains':
      // Escaped, so that '.*' or '(' in a search box is text, not pattern.
      return { $regex: escapeRegex(p.text), $options: 'i' };
    case '$exists':
      return { $exists: p.exists };
    default:
      return { [p.op]: p.value };
  }
}

function toMongoFilter(filter: NormalFilter): MongoFilter<Doc> {
  const query: Document = {};
  for (const clause of filter.fields) {
    query[clause.path] = Object.assign({}, ...clause.predicates.map(predicate)) as Document;
  }
  if (filter.or) query['$or'] = filter.or.map(toMongoFilter);
  return query;
}

/**
 * A unique-index violation. MongoDB says 11000; FerretDB 1.x (SQLite backend) says so for inserts,
 * but reports a replacement or an index build that breaks uniqueness as InternalError (code 1)
 * wrapping SQLite's "UNIQUE constraint failed" (and changes nothing, as MongoDB).
 */
function isDuplicateKey(error: unknown): error is MongoServerError {
  return (
    error instanceof MongoServerError &&
    (error.code === DUPLICATE_KEY ||
      (error.code === INTERNAL_ERROR && /UNIQUE constraint failed: index '/.test(error.message)))
  );
}

/** A second document with the same `_id`: MongoDB says 11000, FerretDB 1.x may word it as SQLite does. */
function isDuplicateId(error: unknown): boolean {
  return error instanceof MongoServerError && /duplicate key|UNIQUE constraint failed/i.test(error.message);
}

/** The violated index's name, from MongoDB's or FerretDB's message, when it says. */
function indexName(collection: string, error: MongoServerError): string | undefined {
  const mongo = /index: (\S+)/.exec(error.message);
  if (mongo) return mongo[1];
  // FerretDB names its SQLite index `<collection>_<8 hex digits>_<index>`; `collection` is a safe
  // identifier (assertCollectionName), so it can go into the pattern as it is.
  const ferret = new RegExp(`index '${collection}_[0-9a-f]{8}_([^']+)'`).exec(error.message);
  return ferret?.[1];
}

function sameKey(a: Document, b: Document): boolean {
  const entries = (key: Document) => Object.entries(key).map(([k, v]) => [k, Number(v)]);
  return JSON.stringify(entries(a)) === JSON.stringify(entries(b));
}

/**
 * MongoReadStore is the ReadStore adapter for MongoDB and FerretDB: collections map 1:1, documents
 * are stored as their JSON form, checkpoints live in `_checkpoints` (positions as decimal strings,
 * since they may exceed 2^53). It uses no transactions, TTL or partial indexes, $text or collations,
 * none of which FerretDB 1.x has; batch() therefore just runs its work.
 */
export class MongoReadStore implements ReadStore, HealthReporter {
  private readonly db: Db;
  private readonly client: MongoClient;
  private readonly logger: AdapterLogger;
  private readonly where: string;
  private readonly settings: string;
  private readonly guard: Guard;
  private reachable = true;
  private casLocks: Promise<CasLocks | null> | null = null;

  /**
   * `url` is a mongodb:// URL; its path names the database (default 'portcullis'). Retryable writes
   * are always on; write concern, read concern and the server-selection timeout come from `options`
   * (defaults: majority, majority, 5 s). Connects lazily; see connect().
   */
  constructor(url: string, options: MongoReadStoreOptions = {}) {
    const w = options.writeConcern ?? 'majority';
    const level: ReadConcernLevel = options.readConcern ?? 'majority';
    const serverSelectionTimeoutMS = options.serverSelectionTimeoutMs ?? 5000;
    const clientOptions: MongoClientOptions = {
      appName: 'portcullis',
      retryWrites: true,
      retryReads: true,
      writeConcern: { w },
      readConcern: { level },
      serverSelectionTimeoutMS,
    };
    this.client = new MongoClient(url, clientOptions);
    this.db = this.client.db(databaseNameFromUrl(url));
    this.logger = options.logger ?? SILENT_LOGGER;
    this.where = safeMongoUrl(url);
    this.settings = `write concern ${w}, read concern ${level}, retryable writes`;
    this.guard = async (what, fn) => {
      try {
        const result = await fn();
        this.markReachable();
        return result;
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        const why =
          error instanceof MongoServerSelectionError
            ? `no server selectable within ${serverSelectionTimeoutMS} ms`
            : 'connection lost';
        const mapped = new ReadStoreUnavailableError(
          `${what}: MongoDB unreachable at ${this.where} (${why}): ${reason(error)}`,
          error,
        );
        this.markUnreachable(mapped.message);
        throw mapped;
      }
    };
    // Heartbeats notice a lost or returning server between requests too, so the log says when it happened.
    this.client.on('serverHeartbeatFailed', (event) =>
      this.markUnreachable(`MongoDB heartbeat to ${event.connectionId} failed: ${reason(event.failure)}`),
    );
    this.client.on('serverHeartbeatSucceeded', () => this.markReachable());
  }

  /** connect opens a MongoReadStore and checks that the server answers (ReadStoreUnavailableError if not). */
  static async connect(url: string, options: MongoReadStoreOptions = {}): Promise<MongoReadStore> {
    const store = new MongoReadStore(url, options);
    try {
      await store.guard('connecting', () => store.client.connect());
      await store.ping();
    } catch (error) {
      await store.client.close().catch(() => undefined);
      throw error;
    }
    store.logger.log(`MongoDB read store at ${store.where} (${store.settings})`);
    return store;
  }

  /** databaseName is the name of the database this store uses. */
  get databaseName(): string {
    return this.db.databaseName;
  }

  collection<T extends Doc = Doc>(name: string): Collection<T> {
    assertCollectionName(name);
    return new MongoReadCollection<T>(this.db.collection<Doc>(name), name, this.guard, () => this.locksIfNeeded());
  }

  async getCheckpoint(projection: string): Promise<bigint | null> {
    const doc = await this.guard(`reading checkpoint ${projection}`, () =>
      this.checkpoints().findOne({ _id: String(projection) }),
    );
    return doc ? BigInt(doc.position) : null;
  }

  async setCheckpoint(projection: string, position: bigint): Promise<void> {
    const text = toCheckpointText(position);
    await this.guard(`writing checkpoint ${projection}`, () =>
      this.checkpoints().replaceOne({ _id: String(projection) }, { position: text }, { upsert: true }),
    );
  }

  async setCheckpoints(projections: readonly string[], position: bigint): Promise<void> {
    if (projections.length === 0) return;
    const text = toCheckpointText(position);
    await this.guard(`writing checkpoints ${projections.join(', ')}`, () =>
      this.checkpoints().bulkWrite(
        projections.map((projection) => ({
          replaceOne: { filter: { _id: String(projection) }, replacement: { position: text }, upsert: true },
        })),
        { ordered: false },
      ),
    );
  }

  async batch<R>(work: () => Promise<R>): Promise<R> {
    // No transactions (FerretDB 1.x has none): projections must be idempotent per event anyway,
    // and their checkpoint is written last.
    return work();
  }

  async dropCollections(collections: readonly string[], projections: readonly string[]): Promise<void> {
    collections.forEach(assertCollectionName);
    // The driver ignores NamespaceNotFound for drop(): dropping a missing collection is fine.
    for (const name of collections) await this.guard(`dropping ${name}`, () => this.db.collection(name).drop());
    if (projections.length > 0) {
      await this.guard('deleting checkpoints', () =>
        this.checkpoints().deleteMany({
          _id: { $in: projections.map(String) },
        }),
      );
    }
  }

  async ping(): Promise<void> {
    await this.guard('ping', () => this.db.command({ ping: 1 }));
  }

  async health(): Promise<ComponentHealth> {
    try {
      await this.ping();
      return { status: 'up', message: `MongoDB answers at ${this.where} (${this.settings})` };
    } catch (error) {
      return { status: 'down', message: reason(error) };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private checkpoints(): MongoCollection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>(CHECKPOINTS);
  }

  /** locksIfNeeded is CasLocks on FerretDB (buildInfo names it), null on MongoDB, whose updates are atomic. */
  private locksIfNeeded(): Promise<CasLocks | null> {
    this.casLocks ??= this.guard('asking the server what it is', () => this.db.command({ buildInfo: 1 }))
      .then((info) => ('ferretdbVersion' in info ? new CasLocks(this.db.collection<CasLockDoc>(CAS_LOCKS)) : null))
      .catch((error: unknown) => {
        this.casLocks = null;
        throw error;
      });
    return this.casLocks;
  }

  private markUnreachable(why: string): void {
    if (!this.reachable) return;
    this.reachable = false;
    this.logger.warn(`MongoDB unreachable: ${why}; the driver keeps reconnecting, requests answer 503 meanwhile`);
  }

  private markReachable(): void {
    if (this.reachable) return;
    this.reachable = true;
    this.logger.log(`MongoDB reachable again at ${this.where}`);
  }
}

/** reason is an error's message with credentials removed. */
function reason(error: unknown): string {
  return redactCredentials(error instanceof Error ? error.message : String(error));
}

/** MongoReadCollection is one collection of a MongoReadStore. */
class MongoReadCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly collection: MongoCollection<Doc>,
    private readonly name: string,
    private readonly guard: Guard,
    private readonly casLocks: () => Promise<CasLocks | null>,
  ) {}

  async get(id: string): Promise<T | null> {
    return (await this.guard(`reading ${this.name}`, () =>
      this.collection.findOne({
        _id: String(id),
      }),
    )) as unknown as T | null;
  }

  async find(filter?: Filter, options?: FindOptions): Promise<T[]> {
    const query = toMongoFilter(normalizeFilter(filter));
    const { sort, skip, limit } = normalizeFindOptions(options);
    // The driver reads limit 0 as "no limit".
    if (limit === 0) return [];
    const order: Array<[string, 1 | -1]> = sort.map(([path, direction]) => [path, direction]);
    if (!sort.some(([path]) => path === '_id')) order.push(['_id', 1]);
    const cursor = this.collection.find(query, {
      sort: order as Sort,
      skip,
      ...(limit === null ? {} : { limit }),
    });
    return (await this.guard(`reading ${this.name}`, () => cursor.toArray())) as unknown as T[];
  }

  async findOne(filter: Filter): Promise<T | null> {
    const [first] = await this.find(filter, { limit: 1 });
    return first ?? null;
  }

  async count(filter?: Filter): Promise<number> {
    const query = toMongoFilter(normalizeFilter(filter));
    return this.guard(`counting ${this.name}`, () => this.collection.countDocuments(query));
  }

  async upsert(doc: T): Promise<void> {
    const { id, json } = toStoredDoc(doc);
    // Stored as its JSON form (Dates as strings, no undefined), exactly as SQLite stores it.
    const stored = JSON.parse(json) as Doc;
    await this.translate(() => this.collection.replaceOne({ _id: id }, stored, { upsert: true }));
  }

  async replaceIf(doc: T, expected: Filter): Promise<boolean> {
    const { id, json } = toStoredDoc(doc);
    const stored = JSON.parse(json) as Doc;
    // Matching `_id` and `expected` replaces; no document inserts; a document that does not match makes the
    // upsert's insert collide on `_id`, which is the "someone else wrote first" answer.
    const query = { ...toMongoFilter(normalizeFilter(expected)), _id: id } as MongoFilter<Doc>;
    const write = async () => {
      try {
        const result = await this.guard(`writing ${this.name}`, () =>
          this.collection.replaceOne(query, stored, { upsert: true }),
        );
        return result.matchedCount + result.upsertedCount > 0;
      } catch (error) {
        if (isDuplicateKey(error) || isDuplicateId(error)) return false;
        throw error;
      }
    };
    const locks = await this.casLocks();
    return locks ? this.guard(`writing ${this.name}`, () => locks.run(`${this.name}/${id}`, write)) : write();
  }

  async delete(id: string): Promise<void> {
    await this.guard(`deleting from ${this.name}`, () => this.collection.deleteOne({ _id: String(id) }));
  }

  async deleteMany(filter: Filter): Promise<number> {
    const query = toMongoFilter(normalizeFilter(filter));
    const result = await this.guard(`deleting from ${this.name}`, () => this.collection.deleteMany(query));
    return result.deletedCount;
  }

  async ensureIndexes(indexes: readonly IndexSpec[]): Promise<void> {
    const specs = normalizeIndexes(indexes);
    const existing = await this.existingIndexes();
    for (const spec of specs) {
      const key = Object.fromEntries(spec.fields.map(([path, direction]) => [path, direction]));
      const unique = spec.unique === true;
      const current = existing.get(spec.name);
      if (current && sameKey(current.key, key) && current.unique === unique) continue;
      // Same name, different definition: replace it, as the SQLite adapter does. MongoDB would
      // refuse the new definition (code 85/86); FerretDB 1.x silently keeps the old one.
      if (current) await this.guard(`dropping index ${spec.name}`, () => this.collection.dropIndex(spec.name));
      const description: IndexDescription = {
        name: spec.name,
        key,
        ...(unique ? { unique } : {}),
      };
      await this.translate(() => this.collection.createIndexes([description]));
    }
  }

  private async existingIndexes(): Promise<Map<string, { key: Document; unique: boolean }>> {
    try {
      const list = await this.guard(`listing indexes of ${this.name}`, () => this.collection.listIndexes().toArray());
      return new Map(
        list.map((index) => [
          String(index['name']),
          { key: index['key'] as Document, unique: index['unique'] === true },
        ]),
      );
    } catch (error) {
      if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return new Map();
      throw error;
    }
  }

  /** translate turns MongoDB's duplicate key error (11000) into DuplicateKeyError. */
  private async translate<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await this.guard(`writing ${this.name}`, fn);
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new DuplicateKeyError(this.name, indexName(this.name, error), {
          cause: error,
        });
      }
      throw error;
    }
  }
}
