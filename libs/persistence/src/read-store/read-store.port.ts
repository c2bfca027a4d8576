/**
 * ReadStore is the port for projections' read models: collections of JSON documents keyed by `_id`.
 * Adapters: SQLite (embedded default) and MongoDB. One contract suite runs against both.
 * No adapter may need multi-document transactions, TTL/partial indexes, $text or collation
 * (FerretDB 1.x has none of them).
 */

/** Doc is a stored document; `_id` is a string chosen by the projection. */
export interface Doc {
  _id: string;
  [key: string]: unknown;
}

/** Scalar values a filter compares with. Dates are stored as ISO strings. */
export type Scalar = string | number | boolean | null;

/**
 * FieldCondition: equality with a scalar, or one operator object.
 * `$contains` is a case-insensitive substring match (search boxes).
 * Fields may be dotted paths into nested objects (`team.id`). Comparing an array field with
 * equality matches when the array contains the value (as MongoDB does).
 */
export type FieldCondition =
  | Scalar
  | { $eq: Scalar }
  | { $ne: Scalar }
  | { $in: Scalar[] }
  | { $nin: Scalar[] }
  | { $gt: Scalar }
  | { $gte: Scalar }
  | { $lt: Scalar }
  | { $lte: Scalar }
  | { $contains: string }
  | { $exists: boolean };

/** Filter: all field conditions must hold; `$or` holds when any sub-filter does. */
export interface Filter {
  [field: string]: FieldCondition | Filter[] | undefined;
  $or?: Filter[];
}

/** SortSpec: fields in priority order, 1 ascending, -1 descending. `_id` breaks ties implicitly. */
export type SortSpec = ReadonlyArray<readonly [field: string, direction: 1 | -1]>;

/** FindOptions pages a query. */
export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
}

/** IndexSpec declares an index; `unique` indexes reject a second document with the same key. */
export interface IndexSpec {
  name: string;
  fields: SortSpec;
  unique?: boolean;
}

/** Collection is one named set of documents. */
export interface Collection<T extends Doc = Doc> {
  get(id: string): Promise<T | null>;
  find(filter?: Filter, options?: FindOptions): Promise<T[]>;
  findOne(filter: Filter): Promise<T | null>;
  count(filter?: Filter): Promise<number>;
  /** upsert replaces the whole document with this `_id` (or inserts it). */
  upsert(doc: T): Promise<void>;
  /**
   * replaceIf is a compare-and-set: it replaces the document with `doc._id` only if that document matches
   * `expected`, or inserts `doc` when no document has that `_id`. It answers whether it wrote; two callers
   * racing on one stale `expected` never both win (leases and fencing tokens rely on this).
   */
  replaceIf(doc: T, expected: Filter): Promise<boolean>;
  delete(id: string): Promise<void>;
  deleteMany(filter: Filter): Promise<number>;
  ensureIndexes(indexes: readonly IndexSpec[]): Promise<void>;
}

/** ReadStore is the read-store port. */
export interface ReadStore {
  collection<T extends Doc = Doc>(name: string): Collection<T>;
  /** getCheckpoint is the position of the last event a projection has fully applied, or null. */
  getCheckpoint(projection: string): Promise<bigint | null>;
  setCheckpoint(projection: string, position: bigint): Promise<void>;
  /**
   * setCheckpoints sets several projections to one position in one write (one statement, one round trip): a
   * projection runner advances all of its projections after every batch.
   */
  setCheckpoints(projections: readonly string[], position: bigint): Promise<void>;
  /**
   * atomicBatches is true when batch() commits all or nothing and holds the store's write lock from its first
   * write to its commit (SQLite): a fence written first in a batch then covers every later write of it.
   */
  readonly atomicBatches?: boolean;
  /** batch runs `work` so that its writes are committed together where the adapter can (SQLite). */
  batch<R>(work: () => Promise<R>): Promise<R>;
  /** dropCollections removes the collections and the named projections' checkpoints. */
  dropCollections(collections: readonly string[], projections: readonly string[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** READ_STORE is the Nest DI token for the ReadStore port. */
export const READ_STORE = Symbol('READ_STORE');
