import { randomUUID } from 'node:crypto';
import {
  ANY as ESDB_ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  NO_STREAM as ESDB_NO_STREAM,
  START,
  STREAM_EXISTS as ESDB_STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AllStreamRecordedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  Position,
  ReadPosition,
  RecordedEvent as EsdbRecordedEvent,
  StreamingRead,
} from '@eventstore/db-client';
import {
  SILENT_LOGGER,
  type AdapterLogger,
  type ComponentHealth,
  type HealthReporter,
} from '../shared/component-health';
import { redactCredentials } from '../shared/redact';
import { ANY, NO_STREAM, STREAM_EXISTS, StoreUnavailableError, WrongExpectedRevisionError } from './event-store.port';
import { parseEventStoreConnection, type EventStoreConnection } from './eventstoredb-connection';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
} from './event-store.port';

/** EventStoreDbEventStoreOptions tunes an EventStoreDbEventStore. */
export interface EventStoreDbEventStoreOptions {
  /** pingDeadlineMs bounds how long ping waits for the server before reporting it unavailable. */
  readonly pingDeadlineMs?: number;
  /** readPageSize is how many $all events one read request asks for. */
  readonly readPageSize?: number;
  /** appendDeadlineMs bounds one append, reconnect attempts included (default 10 s); then EventStoreDeadlineError. */
  readonly appendDeadlineMs?: number;
  /** readDeadlineMs bounds one read (readStream, one readAll page, headPosition), reconnects included (default 10 s). */
  readonly readDeadlineMs?: number;
  /** reconnectInitialDelayMs is the first wait before a call is retried on a new connection (default 100 ms). */
  readonly reconnectInitialDelayMs?: number;
  /** reconnectMaxDelayMs caps the doubling wait between reconnect attempts (default 5 s). */
  readonly reconnectMaxDelayMs?: number;
  /** logger hears when the server becomes unreachable and when it is back (once per change, no secrets). */
  readonly logger?: AdapterLogger;
}

/** EventStoreUnreachableError: no EventStoreDB node answered within the call's deadline (HTTP 503). */
export class EventStoreUnreachableError extends StoreUnavailableError {
  constructor(message: string, cause?: unknown) {
    super(message, cause);
    this.name = 'EventStoreUnreachableError';
  }
}

/** EventStoreDeadlineError: the server did not finish the call within its deadline (HTTP 503). */
export class EventStoreDeadlineError extends StoreUnavailableError {
  constructor(
    message: string,
    readonly deadlineMs: number,
    cause?: unknown,
  ) {
    super(message, cause);
    this.name = 'EventStoreDeadlineError';
  }
}

// The client reports "no position" on stream reads from older servers as the largest uint64.
const NO_POSITION = 2n ** 63n;

// Errors after which the client builds a new connection (rediscovering the leader) on the next call.
const UNAVAILABLE_ERRORS = new Set<ErrorType>([ErrorType.UNAVAILABLE, ErrorType.NOT_LEADER]);
const DEADLINE_ERRORS = new Set<ErrorType>([ErrorType.DEADLINE_EXCEEDED, ErrorType.TIMEOUT]);

/**
 * EventStoreDbEventStore is the EventStore adapter over EventStoreDB / KurrentDB (gRPC client).
 *
 * A position is the event's commit position in $all. Since EventStoreDB 20 every event of a gRPC
 * append is its own committed record (commit = prepare = its log position), so commit positions
 * are unique and strictly increasing, which the port requires; explicit transactions (TCP API
 * only) would break this and are not supported. System events ($-prefixed types or streams) are
 * invisible through this adapter.
 */
export class EventStoreDbEventStore implements EventStore, HealthReporter {
  private readonly client: EventStoreDBClient;
  private readonly pingDeadlineMs: number;
  private readonly readPageSize: number;
  private readonly appendDeadlineMs: number;
  private readonly readDeadlineMs: number;
  private readonly reconnectInitialDelayMs: number;
  private readonly reconnectMaxDelayMs: number;
  private readonly logger: AdapterLogger;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();
  /** connection is the validated string, or null when the caller built the client. */
  readonly connection: EventStoreConnection | null;
  private readonly where: string;
  private reachable = true;

  /**
   * The constructor takes a connection string (esdb://… or esdb+discover://…, validated by
   * parseEventStoreConnection before the client sees it) or a client the caller owns the config of.
   */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    if (typeof connection === 'string') {
      this.connection = parseEventStoreConnection(connection);
      this.client = EventStoreDBClient.connectionString(connection);
      this.where = this.connection.safe;
    } else {
      this.connection = null;
      this.client = connection;
      this.where = 'the configured EventStoreDB';
    }
    this.pingDeadlineMs = options.pingDeadlineMs ?? 5000;
    this.readPageSize = options.readPageSize ?? 500;
    this.appendDeadlineMs = options.appendDeadlineMs ?? 10_000;
    this.readDeadlineMs = options.readDeadlineMs ?? 10_000;
    this.reconnectInitialDelayMs = options.reconnectInitialDelayMs ?? 100;
    this.reconnectMaxDelayMs = options.reconnectMaxDelayMs ?? 5000;
    this.logger = options.logger ?? SILENT_LOGGER;
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    // Serializing up front makes a value JSON cannot hold fail before anything reaches the server,
    // so a batch is never cut short halfway through the client's request.
    events.forEach((event) => JSON.stringify([event.data, event.metadata]));
    // Ids are fixed before the first attempt: the server treats a retried append of the same ids at
    // the same expected revision as the same write, so a reconnect never writes an event twice.
    const eventData = events.map((event) =>
      jsonEvent({
        id: event.id ?? randomUUID(),
        type: event.type,
        data: event.data,
        metadata: event.metadata ?? {},
      }),
    );
    const result = await this.call(`append to ${streamId}`, this.appendDeadlineMs, async (deadline) => {
      try {
        return await this.client.appendToStream(streamId, eventData, {
          expectedRevision: toEsdbRevision(options.expectedRevision),
          deadline,
        });
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          throw new WrongExpectedRevisionError(streamId, options.expectedRevision, error.actualVersion);
        }
        throw error;
      }
    });
    if (!result.success) {
      // Only reachable when the client is configured with throwOnAppendFailure: false.
      throw new WrongExpectedRevisionError(
        streamId,
        options.expectedRevision,
        result.nextExpectedRevision < 0n ? NO_STREAM : result.nextExpectedRevision,
      );
    }
    // The server returns the position of the last event written, which is what read-your-writes waits for.
    const position = result.position?.commit ?? (await this.headPosition());
    return { nextExpectedRevision: result.nextExpectedRevision, position };
  }

  async readStream(
    streamId: string,
    options: { fromRevision?: bigint; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    return this.call(`reading stream ${streamId}`, this.readDeadlineMs, async (deadline) => {
      const events: RecordedEvent[] = [];
      try {
        const read = this.client.readStream(streamId, {
          fromRevision: options.fromRevision ?? START,
          deadline,
          ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
        });
        for await (const resolved of read) {
          if (resolved.event) events.push(toRecordedEvent(resolved.event));
        }
        return events;
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
    });
  }

  async readAll(options: { after?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (wanted <= 0) return events;
    // Reads from a position include the event at it, so `after` and page cursors are skipped by hand.
    let skipUpTo = options.after ?? -1n;
    let from: ReadPosition = skipUpTo < 0n ? START : { commit: skipUpTo, prepare: skipUpTo };
    for (;;) {
      const page = await this.readAllPage('reading $all', {
        fromPosition: from,
        maxCount: this.readPageSize,
      });
      for (const event of page) {
        if (event.position.commit <= skipUpTo || isSystemEvent(event)) continue;
        events.push(toRecordedEvent(event));
        if (events.length >= wanted) return events;
      }
      const last = page.at(-1);
      if (page.length < this.readPageSize || !last) return events;
      skipUpTo = last.position.commit;
      from = last.position;
    }
  }

  async headPosition(): Promise<bigint> {
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage('reading the head position', {
        direction: BACKWARDS,
        fromPosition: from,
        maxCount: this.readPageSize,
      });
      const newest = page.find((event) => !isSystemEvent(event));
      if (newest) return newest.position.commit;
      const oldest = page.at(-1);
      if (page.length < this.readPageSize || !oldest) return -1n;
      from = oldest.position;
    }
  }

  subscribeToAll(options: { after?: bigint }, handler: SubscriptionHandler): Subscription {
    const after = options.after ?? -1n;
    const fromPosition: ReadPosition = after < 0n ? START : { commit: after, prepare: after };
    const stream = this.client.subscribeToAll({
      fromPosition,
      filter: excludeSystemEvents(),
    });
    const subscription = new EventStoreDbSubscription(stream, handler, after, this.where, (finished) =>
      this.subscriptions.delete(finished),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async ping(): Promise<void> {
    try {
      await this.call('ping', this.pingDeadlineMs, (deadline) =>
        drain(this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, deadline })),
      );
    } catch (error) {
      // Any failure of a one-event read means the store is not usable, whatever the client called it.
      if (error instanceof StoreUnavailableError) throw error;
      throw new EventStoreUnreachableError(`EventStoreDB ping failed at ${this.where}: ${reason(error)}`, error);
    }
  }

  async health(): Promise<ComponentHealth> {
    try {
      await this.ping();
      return { status: 'up', message: `EventStoreDB answers at ${this.where}` };
    } catch (error) {
      return { status: 'down', message: reason(error) };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  private readAllPage(what: string, options: Parameters<EventStoreDBClient['readAll']>[0]) {
    return this.call(what, this.readDeadlineMs, async (deadline) => {
      const resolved = await drain(this.client.readAll({ ...options, deadline }));
      return resolved.flatMap((item): AllStreamRecordedEvent[] => (item.event ? [item.event] : []));
    });
  }

  /**
   * call runs one client call within `deadlineMs`. When the connection is lost the client builds a
   * new one (rediscovering the leader) on the next call, so unavailable errors are retried after a
   * doubling, half-jittered wait while the deadline allows; the last failure becomes a named error
   * (EventStoreUnreachableError or EventStoreDeadlineError, both a 503 through the problem mapping).
   */
  private async call<T>(what: string, deadlineMs: number, fn: (deadline: number) => Promise<T>): Promise<T> {
    const started = Date.now();
    let delay = this.reconnectInitialDelayMs;
    for (let attempt = 1; ; attempt++) {
      const remaining = Math.max(1, deadlineMs - (Date.now() - started));
      try {
        const result = await withTimer(fn(remaining), remaining);
        this.markReachable();
        return result;
      } catch (error) {
        const kind = classify(error);
        if (kind === 'other') throw error;
        const elapsed = Date.now() - started;
        const wait = Math.round(delay / 2 + (Math.random() * delay) / 2);
        if (kind === 'unavailable' && elapsed + wait < deadlineMs) {
          this.markUnreachable(reason(error));
          await new Promise((resolve) => setTimeout(resolve, wait));
          delay = Math.min(delay * 2, this.reconnectMaxDelayMs);
          continue;
        }
        const mapped =
          kind === 'deadline'
            ? new EventStoreDeadlineError(
                `${what}: EventStoreDB at ${this.where} did not answer within the ${deadlineMs} ms deadline`,
                deadlineMs,
                error,
              )
            : new EventStoreUnreachableError(
                `${what}: EventStoreDB unreachable at ${this.where} (${attempt} attempt(s) in ${elapsed} ms): ${reason(error)}`,
                error,
              );
        this.markUnreachable(mapped.message);
        throw mapped;
      }
    }
  }

  private markUnreachable(why: string): void {
    if (!this.reachable) return;
    this.reachable = false;
    this.logger.warn(`EventStoreDB unreachable: ${why}; calls are retried with backoff within their deadline`);
  }

  private markReachable(): void {
    if (this.reachable) return;
    this.reachable = true;
    this.logger.log(`EventStoreDB reachable again at ${this.where}`);
  }
}

/** EventStoreDbSubscription drives one $all catch-up subscription and awaits the handler per event. */
class EventStoreDbSubscription implements Subscription {
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly stream: AllStreamSubscription,
    private readonly handler: SubscriptionHandler,
    after: bigint,
    private readonly where: string,
    private readonly onFinished: (subscription: EventStoreDbSubscription) => void,
  ) {
    this.done = this.run(after);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.unsubscribe();
    await this.done;
  }

  private async run(after: bigint): Promise<void> {
    let last = after;
    let handlerFailed = false;
    try {
      for await (const resolved of this.stream) {
        if (this.stopped) break;
        const event = resolved.event;
        // The filter already drops system event types; the position check guards against a server
        // that starts the subscription at, rather than after, the given position.
        if (!event || event.position.commit <= last || isSystemEvent(event)) continue;
        try {
          await this.handler.onEvent(toRecordedEvent(event));
        } catch (error) {
          handlerFailed = true;
          throw error;
        }
        last = event.position.commit;
      }
      if (!this.stopped) throw new EventStoreUnreachableError(`EventStoreDB subscription at ${this.where} ended`);
    } catch (error) {
      if (!this.stopped) {
        this.stopped = true;
        this.reportError(handlerFailed ? error : toStoreError(error, `subscription to $all at ${this.where} failed`));
      }
    } finally {
      this.stopped = true;
      await this.unsubscribe();
      this.onFinished(this);
    }
  }

  private reportError(error: unknown): void {
    try {
      this.handler.onError?.(error);
    } catch {
      // NOTE: an onError that throws must not turn into an unhandled rejection of the loop.
    }
  }

  private async unsubscribe(): Promise<void> {
    try {
      await this.stream.unsubscribe();
    } catch {
      // Unsubscribing a stream that already failed or ended is expected to fail; nothing to do.
    }
  }
}

function toEsdbRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case NO_STREAM:
      return ESDB_NO_STREAM;
    case STREAM_EXISTS:
      return ESDB_STREAM_EXISTS;
    case ANY:
      return ESDB_ANY;
    default:
      return expected;
  }
}

async function drain<T>(read: StreamingRead<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}

function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    type: event.type,
    revision: event.revision,
    position: positionOf(event.position),
    data: toObject(event.data),
    metadata: toObject(event.metadata),
    created: event.created.toISOString(),
  };
}

// Stream reads on servers that do not return positions yield -1n; readAll and subscriptions always carry one.
function positionOf(position: Position | undefined): bigint {
  return position === undefined || position.commit >= NO_POSITION ? -1n : position.commit;
}

// Events written by this adapter always carry JSON objects; anything else (foreign or binary events)
// is wrapped rather than dropped so it stays inspectable.
function toObject(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}

/** classify tells a lost connection (retry on a new one) and a missed deadline from every other error. */
function classify(error: unknown): 'unavailable' | 'deadline' | 'other' {
  if (error instanceof DeadlineTimer) return 'deadline';
  if (!(error instanceof Error)) return 'other';
  if (isCommandError(error)) {
    if (UNAVAILABLE_ERRORS.has(error.type)) return 'unavailable';
    if (DEADLINE_ERRORS.has(error.type)) return 'deadline';
  }
  // Discovery and channel failures are plain Errors, not CommandErrors.
  if (/DEADLINE_EXCEEDED|Deadline exceeded/i.test(error.message)) return 'deadline';
  if (/Failed to discover|UNAVAILABLE|ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EHOSTUNREACH/.test(error.message))
    return 'unavailable';
  return 'other';
}

/** reason is an error's message with credentials removed, for logs, health and thrown messages. */
function reason(error: unknown): string {
  return redactCredentials(error instanceof Error ? error.message : String(error))
    .replace(/\s+/g, ' ')
    .trim();
}

/** DeadlineTimer marks a call the client did not end by its own deadline (e.g. stuck in discovery). */
class DeadlineTimer extends Error {}

// The client's per-call deadline does not cover discovery, so a timer bounds the whole call too; the
// margin lets the server's own DEADLINE_EXCEEDED arrive first when it does.
async function withTimer<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineTimer(`no answer within ${ms} ms`)), ms + 500);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function toStoreError(error: unknown, message: string): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const kind = classify(error);
  if (kind === 'other') return error;
  return new EventStoreUnreachableError(`${message}: ${reason(error)}`, error);
}
