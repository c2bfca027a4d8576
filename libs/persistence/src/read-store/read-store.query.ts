import { InvalidIdentifierError, InvalidQueryError } from './read-store.errors';
import type { Doc, Filter, FindOptions, IndexSpec, Scalar, SortSpec } from './read-store.port';

// Validation and normalisation shared by both adapters, so that they accept and reject exactly
// the same inputs. Adapters compile the normalised form, never the caller's raw objects.

/**
 * COLLECTION_NAME_PATTERN is what a collection name must match: a letter, then letters, digits or
 * underscores, at most 63 characters. Leading underscores are reserved (`_checkpoints`), and so is
 * SQLite's `sqlite_` prefix.
 */
export const COLLECTION_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** FIELD_PATH_PATTERN is what a field path must match: identifiers joined by dots. */
export const FIELD_PATH_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const INDEX_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** assertCollectionName throws InvalidIdentifierError unless `name` is a safe collection name. */
export function assertCollectionName(name: string): void {
  if (typeof name !== 'string' || !COLLECTION_NAME_PATTERN.test(name)) {
    throw new InvalidIdentifierError('collection name', String(name), `must match ${COLLECTION_NAME_PATTERN.source}`);
  }
  if (name.toLowerCase().startsWith('sqlite_')) {
    throw new InvalidIdentifierError('collection name', name, "the 'sqlite_' prefix is reserved");
  }
}

/** assertFieldPath throws InvalidIdentifierError unless `path` is a safe (dotted) field path. */
export function assertFieldPath(path: string): void {
  if (typeof path !== 'string' || path.length > 256 || !FIELD_PATH_PATTERN.test(path)) {
    throw new InvalidIdentifierError('field path', String(path), `must match ${FIELD_PATH_PATTERN.source}`);
  }
}

/** Comparison operators that order values; both adapters compare within one type only. */
export type RangeOperator = '$gt' | '$gte' | '$lt' | '$lte';

/** Predicate is one normalised condition on a field. */
export type Predicate =
  | { op: '$eq' | '$ne'; value: Scalar }
  | { op: '$in' | '$nin'; values: Scalar[] }
  | { op: RangeOperator; value: string | number | boolean }
  | { op: '$contains'; text: string }
  | { op: '$exists'; exists: boolean };

/** FieldClause: every predicate must hold for the field at `path`. */
export interface FieldClause {
  path: string;
  predicates: Predicate[];
}

/** NormalFilter: every field clause holds, and for each `$or` group at least one member holds. */
export interface NormalFilter {
  fields: FieldClause[];
  or: NormalFilter[] | null;
}

/** NormalFindOptions: validated sort (without the implicit `_id` tie-break) and page. */
export interface NormalFindOptions {
  sort: SortSpec;
  skip: number;
  limit: number | null;
}

const RANGE_OPERATORS: ReadonlySet<string> = new Set(['$gt', '$gte', '$lt', '$lte']);
const MAX_FILTER_DEPTH = 8;

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function scalar(value: unknown, where: string): Scalar {
  // Rejecting objects here is what stops `{ name: { $gt: '' } }`-style injection through values.
  if (!isScalar(value)) {
    throw new InvalidQueryError(`${where}: expected a string, finite number, boolean or null, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function scalarList(value: unknown, where: string): Scalar[] {
  if (!Array.isArray(value)) throw new InvalidQueryError(`${where}: expected an array`);
  if (value.length > 10_000) throw new InvalidQueryError(`${where}: more than 10000 values`);
  return value.map((v, i) => scalar(v, `${where}[${i}]`));
}

function predicates(path: string, condition: unknown): Predicate[] {
  if (!isPlainObject(condition)) return [{ op: '$eq', value: scalar(condition, path) }];
  const ops = Object.keys(condition);
  if (ops.length === 0) throw new InvalidQueryError(`${path}: empty condition object`);
  return ops.map((op): Predicate => {
    const value = condition[op];
    const where = `${path}.${op}`;
    switch (op) {
      case '$eq':
      case '$ne':
        return { op, value: scalar(value, where) };
      case '$in':
      case '$nin':
        return { op, values: scalarList(value, where) };
      case '$contains':
        if (typeof value !== 'string') throw new InvalidQueryError(`${where}: expected a string`);
        return { op, text: value };
      case '$exists':
        if (typeof value !== 'boolean') throw new InvalidQueryError(`${where}: expected a boolean`);
        return { op, exists: value };
      default:
        if (RANGE_OPERATORS.has(op)) {
          const v = scalar(value, where);
          // Ordering against null means different things in MongoDB and SQL; use equality.
          if (v === null) throw new InvalidQueryError(`${where}: cannot compare with null`);
          return { op: op as RangeOperator, value: v };
        }
        throw new InvalidQueryError(`${path}: unsupported operator ${JSON.stringify(op)}`);
    }
  });
}

/** normalizeFilter validates a Filter (throwing InvalidIdentifierError / InvalidQueryError). */
export function normalizeFilter(filter: Filter | undefined, depth = 0): NormalFilter {
  if (filter === undefined) return { fields: [], or: null };
  if (!isPlainObject(filter)) throw new InvalidQueryError('filter must be a plain object');
  if (depth > MAX_FILTER_DEPTH) throw new InvalidQueryError('filter nested too deeply');
  const fields: FieldClause[] = [];
  let or: NormalFilter[] | null = null;
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$or') {
      // Absent, as the port's optional `$or?` allows; an undefined *field* condition is refused
      // below instead, since ignoring it would silently widen the query.
      if (condition === undefined) continue;
      if (!Array.isArray(condition) || condition.length === 0) {
        throw new InvalidQueryError('$or must be a non-empty array of filters');
      }
      or = condition.map((f: Filter) => normalizeFilter(f, depth + 1));
      continue;
    }
    assertFieldPath(key);
    fields.push({ path: key, predicates: predicates(key, condition) });
  }
  return { fields, or };
}

function normalizeSort(sort: SortSpec | undefined): SortSpec {
  if (sort === undefined) return [];
  if (!Array.isArray(sort)) throw new InvalidQueryError('sort must be an array of [field, 1|-1]');
  const out: Array<readonly [string, 1 | -1]> = [];
  for (const entry of sort as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw new InvalidQueryError('sort entries must be [field, 1|-1]');
    }
    const [field, direction] = entry as [string, unknown];
    assertFieldPath(field);
    if (direction !== 1 && direction !== -1) {
      throw new InvalidQueryError(`sort direction for ${field} must be 1 or -1`);
    }
    out.push([field, direction]);
    // Nothing after `_id` can matter: ids are unique.
    if (field === '_id') break;
  }
  return out;
}

function count(value: number | undefined, what: string): number | null {
  if (value === undefined) return null;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidQueryError(`${what} must be a non-negative integer`);
  }
  return value;
}

/** normalizeFindOptions validates sort, skip and limit. */
export function normalizeFindOptions(options: FindOptions | undefined): NormalFindOptions {
  return {
    sort: normalizeSort(options?.sort),
    skip: count(options?.skip, 'skip') ?? 0,
    limit: count(options?.limit, 'limit'),
  };
}

/** normalizeIndexes validates index specs: safe names and field paths, at least one field. */
export function normalizeIndexes(indexes: readonly IndexSpec[]): IndexSpec[] {
  if (!Array.isArray(indexes)) throw new InvalidQueryError('indexes must be an array');
  return indexes.map((spec) => {
    if (typeof spec?.name !== 'string' || !INDEX_NAME_PATTERN.test(spec.name)) {
      throw new InvalidIdentifierError('index name', String(spec?.name), `must match ${INDEX_NAME_PATTERN.source}`);
    }
    const fields = normalizeSort(spec.fields);
    if (fields.length === 0) throw new InvalidQueryError(`index ${spec.name} has no fields`);
    return { name: spec.name, fields, unique: spec.unique === true };
  });
}

/**
 * toStoredDoc checks a document and gives its JSON form, as both adapters store it: `undefined`
 * members dropped, Dates as ISO strings, non-finite numbers as null. Going through JSON in both
 * adapters is what keeps them returning the same documents.
 */
export function toStoredDoc(doc: Doc): { id: string; json: string } {
  if (!isPlainObject(doc)) throw new InvalidQueryError('a document must be a plain object');
  const id = doc._id;
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidQueryError('a document needs a non-empty string _id');
  }
  return { id, json: JSON.stringify(doc) };
}

/** toCheckpointText converts a checkpoint position to its stored (decimal string) form. */
export function toCheckpointText(position: bigint): string {
  if (typeof position !== 'bigint' || position < 0n) {
    throw new InvalidQueryError('a checkpoint position must be a non-negative bigint');
  }
  return position.toString();
}
