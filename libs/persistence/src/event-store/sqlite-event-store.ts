import { randomUUID } from 'node:crypto';
// NOTE: import-equals, not a default import: this lib compiles without esModuleInterop (the apps use it).
import Database = require('better-sqlite3');
import { ANY, NO_STREAM, STREAM_EXISTS, StoreUnavailableError, WrongExpectedRevisionError } from './event-store.port';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
} from './event-store.port';
import { PollingSubscription } from './polling-subscription';

/** SqliteEventStoreOptions tunes a SqliteEventStore; every field has a sensible default. */
export interface SqliteEventStoreOptions {
  /** now stamps `created` on appended events. */
  readonly now?: () => Date;
  /** busyTimeoutMs is how long a write waits for another process's lock before failing. */
  readonly busyTimeoutMs?: number;
  /** pollIntervalMs is how often the store looks for events appended by other processes (for its subscriptions). */
  readonly pollIntervalMs?: number;
  /** subscriptionBatchSize is how many events a subscription reads per query while catching up. */
  readonly subscriptionBatchSize?: number;
}

interface EventRow {
  readonly position: bigint;
  readonly id: string;
  readonly stream_id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly created: string;
}

interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

// NOTE: AUTOINCREMENT (not plain rowid) so a position is never reused, even after the newest row
// is deleted by hand; SQLite has a single writer, so positions become visible in commit order and a
// catch-up reader can never see position n+1 before n.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position  INTEGER PRIMARY KEY AUTOINCREMENT,
    id        TEXT    NOT NULL UNIQUE,
    stream_id TEXT    NOT NULL,
    revision  INTEGER NOT NULL,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    created   TEXT    NOT NULL,
    UNIQUE (stream_id, revision)
  )`;

const COLUMNS = 'position, id, stream_id, revision, type, data, metadata, created';

// SQLite result codes that mean "the store cannot be used right now" rather than "your request is wrong".
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|NOTADB|CORRUPT|PROTOCOL)/;

/**
 * SqliteEventStore is the embedded EventStore adapter: one SQLite file in the data dir, shared by
 * the api process (appends) and the projector process (subscribes). Positions are the table's
 * AUTOINCREMENT key, so the first event has position 1n.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;
  private readonly subscriptionBatchSize: number;
  private readonly appendListeners = new Set<() => void>();
  private readonly subscriptions = new Set<PollingSubscription>();
  private closed = false;
  /** changeCount counts the changes seen: this connection's appends and other connections' commits. */
  private changeCount = 0;
  /** watcher looks for other connections' commits while anyone subscribes (see watchOtherConnections). */
  private watcher: NodeJS.Timeout | null = null;
  private lastDataVersion = 0n;

  private readonly insertEvent: Database.Statement<[string, string, bigint, string, string, string, string]>;
  private readonly selectStreamRevision: Database.Statement<[string], { revision: bigint | null }>;
  private readonly selectStream: Database.Statement<[string, bigint, number], EventRow>;
  private readonly selectAll: Database.Statement<[bigint, number], EventRow>;
  private readonly selectHead: Database.Statement<[], { position: bigint | null }>;
  private readonly selectDataVersion: Database.Statement<[], bigint>;
  private readonly appendTransaction: (
    streamId: string,
    events: readonly SerializedEvent[],
    expectedRevision: ExpectedRevision,
    created: string,
  ) => AppendResult;

  constructor(filename: string, options: SqliteEventStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 25;
    this.subscriptionBatchSize = options.subscriptionBatchSize ?? 500;
    try {
      this.db = new Database(filename);
      // busy_timeout first: switching to WAL itself needs a lock another process may hold.
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      this.db.pragma('journal_mode = WAL');
      // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
      this.db.pragma('synchronous = NORMAL');
      // Positions and revisions are bigint in the port; read every INTEGER as one.
      this.db.defaultSafeIntegers(true);
      this.db.exec(SCHEMA);
    } catch (error) {
      // Whatever stops the file from opening (missing dir, permissions, a lock), the store is unavailable.
      throw new StoreUnavailableError(`cannot open event store ${filename}: ${String(error)}`, error);
    }

    this.insertEvent = this.db.prepare(
      `INSERT INTO events (id, stream_id, revision, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectStreamRevision = this.db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?');
    this.selectStream = this.db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    );
    this.selectAll = this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`);
    this.selectHead = this.db.prepare('SELECT MAX(position) AS position FROM events');
    this.selectDataVersion = this.db.prepare('PRAGMA data_version').pluck() as Database.Statement<[], bigint>;

    const transaction = this.db.transaction(
      (
        streamId: string,
        events: readonly SerializedEvent[],
        expectedRevision: ExpectedRevision,
        created: string,
      ): AppendResult => {
        const current = this.selectStreamRevision.get(streamId)?.revision ?? null;
        assertExpectedRevision(streamId, expectedRevision, current);
        let revision = current ?? -1n;
        let position = -1n;
        for (const event of events) {
          revision += 1n;
          const info = this.insertEvent.run(
            event.id,
            streamId,
            revision,
            event.type,
            event.data,
            event.metadata,
            created,
          );
          position = BigInt(info.lastInsertRowid);
        }
        if (events.length === 0) position = this.selectHead.get()?.position ?? -1n;
        return { nextExpectedRevision: revision, position };
      },
    );
    // IMMEDIATE takes the write lock before the revision check, so a concurrent append from another
    // process cannot slip in between the check and the insert.
    this.appendTransaction = (...args) => transaction.immediate(...args);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    this.assertOpen();
    // Serialize before the transaction: a value JSON cannot hold fails here, holding no lock.
    const serialized = events.map(serialize);
    const created = this.now().toISOString();
    let result: AppendResult;
    try {
      result = this.appendTransaction(streamId, serialized, options.expectedRevision, created);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw error;
      throw toStoreError(error, `append to ${streamId} failed`);
    }
    if (events.length > 0) this.notifyAppend();
    return result;
  }

  async readStream(
    streamId: string,
    options: { fromRevision?: bigint; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.query(() => this.selectStream.all(streamId, options.fromRevision ?? 0n, limitOf(options.maxCount)));
  }

  async readAll(options: { after?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAfter(options.after ?? -1n, limitOf(options.maxCount));
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    try {
      return this.selectHead.get()?.position ?? -1n;
    } catch (error) {
      throw toStoreError(error, 'reading the head position failed');
    }
  }

  subscribeToAll(options: { after?: bigint }, handler: SubscriptionHandler): Subscription {
    this.assertOpen();
    const subscription = new PollingSubscription(
      {
        readAfter: (after, maxCount) => {
          this.assertOpen();
          return this.readAfter(after, maxCount);
        },
        onAppend: (wake) => {
          this.appendListeners.add(wake);
          return () => this.appendListeners.delete(wake);
        },
        changes: () => this.changeCount,
      },
      handler,
      {
        after: options.after ?? -1n,
        batchSize: this.subscriptionBatchSize,
        pollIntervalMs: this.pollIntervalMs,
      },
      (finished) => {
        this.subscriptions.delete(finished);
        if (this.subscriptions.size === 0) this.stopWatching();
      },
    );
    this.subscriptions.add(subscription);
    this.watchOtherConnections();
    return subscription;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      this.db.prepare('SELECT 1').get();
    } catch (error) {
      throw toStoreError(error, 'event store ping failed');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Subscriptions finish their in-flight handler before the connection goes away under them.
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.stopWatching();
    this.closed = true;
    this.db.close();
  }

  private readAfter(after: bigint, limit: number): RecordedEvent[] {
    return this.query(() => this.selectAll.all(after, limit));
  }

  private query(read: () => EventRow[]): RecordedEvent[] {
    try {
      return read().map(toRecordedEvent);
    } catch (error) {
      throw toStoreError(error, 'reading events failed');
    }
  }

  private notifyAppend(): void {
    this.changeCount += 1;
    for (const wake of [...this.appendListeners]) wake();
  }

  /**
   * watchOtherConnections is how subscriptions see appends made by other processes (the projector reading
   * what the api appends, api replicas on one file): every `pollIntervalMs`, one `PRAGMA data_version` (it moves
   * when another connection commits; a read of a counter, no table is touched) for all of this store's
   * subscriptions, instead of one query per subscription per interval. An idle api or projector then costs
   * next to nothing between pushes (the polls were a fifth of their CPU per image in `npm run bench -- push`).
   */
  private watchOtherConnections(): void {
    if (this.watcher || this.closed) return;
    this.lastDataVersion = this.dataVersion();
    this.watcher = setInterval(() => {
      if (this.closed) return this.stopWatching();
      let version: bigint;
      try {
        version = this.dataVersion();
      } catch {
        // The subscriptions' next read reports what is wrong with the file; wake them so that it happens.
        return this.notifyAppend();
      }
      if (version !== this.lastDataVersion) {
        this.lastDataVersion = version;
        this.notifyAppend();
      }
    }, this.pollIntervalMs);
  }

  private dataVersion(): bigint {
    return BigInt(this.selectDataVersion.get() ?? 0);
  }

  private stopWatching(): void {
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = null;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
  }
}

function assertExpectedRevision(streamId: string, expected: ExpectedRevision, current: bigint | null): void {
  const actual = current ?? NO_STREAM;
  const ok =
    expected === ANY ||
    (expected === NO_STREAM && current === null) ||
    (expected === STREAM_EXISTS && current !== null) ||
    (typeof expected === 'bigint' && current === expected);
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, actual);
}

function serialize(event: NewEvent): SerializedEvent {
  return {
    id: event.id ?? randomUUID(),
    type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata ?? {}),
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    streamId: row.stream_id,
    type: row.type,
    revision: row.revision,
    position: row.position,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    created: row.created,
  };
}

// SQLite reads LIMIT -1 as "no limit".
function limitOf(maxCount: number | undefined): number {
  if (maxCount === undefined) return -1;
  if (!Number.isInteger(maxCount) || maxCount < 0) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  }
  return maxCount;
}

function toStoreError(error: unknown, message: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const unavailable =
    (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) ||
    // better-sqlite3 throws a TypeError once the connection is closed.
    (error instanceof TypeError && /database connection is not open/.test(error.message));
  return unavailable ? new StoreUnavailableError(`${message}: ${String(error)}`, error) : error;
}
