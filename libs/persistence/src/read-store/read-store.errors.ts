/**
 * DuplicateKeyError is thrown when a write (or building a unique index) would give two documents
 * of a collection the same key in a unique index. Nothing is written when it is thrown.
 */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';

  constructor(
    readonly collection: string,
    /** The index's IndexSpec name, when the adapter can tell which index was violated. */
    readonly index: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`duplicate key in collection '${collection}'${index ? ` (unique index '${index}')` : ''}`, options);
  }
}

/**
 * InvalidIdentifierError is thrown for a collection name, index name or field path that is not a
 * plain identifier. Names reach SQL and Mongo queries as identifiers, so anything else is refused
 * rather than quoted.
 */
export class InvalidIdentifierError extends Error {
  override readonly name = 'InvalidIdentifierError';

  constructor(
    readonly kind: 'collection name' | 'index name' | 'field path',
    readonly value: string,
    readonly rule: string,
  ) {
    super(`invalid ${kind} ${JSON.stringify(value)}: ${rule}`);
  }
}

/**
 * InvalidQueryError is thrown for a filter, sort, page or index spec outside the port's language:
 * an unknown operator, a non-scalar value, a negative limit... Values arrive from HTTP queries, so
 * both adapters reject anything the port does not describe instead of passing it on.
 */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';
}
