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

/** EventStoreDbEventStoreOptions tunes an EventStoreDbEventStore. */
export interface EventStoreDbEventStoreOptions {
  /** pingDeadlineMs bounds how long ping waits for the server before reporting it unavailable. */
  readonly pingDeadlineMs?: number;
  /** readPageSize is how many $all events one read request asks for. */
  readonly readPageSize?: number;
}

// The client reports "no position" on stream reads from older servers as the largest uint64.
const NO_POSITION = 2n ** 63n;

const UNAVAILABLE_ERRORS = new Set<ErrorType>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
]);

/**
 * EventStoreDbEventStore is the EventStore adapter over EventStoreDB / KurrentDB (gRPC client).
 *
 * A position is the event's commit position in $all. Since EventStoreDB 20 every event of a gRPC
 * append is its own committed record (commit = prepare = its log position), so commit positions
 * are unique and strictly increasing, which the port requires; explicit transactions (TCP API
 * only) would break this and are not supported. System events ($-prefixed types or streams) are
 * invisible through this adapter.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly pingDeadlineMs: number;
  private readonly readPageSize: number;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();

  /** The constructor takes a connection string (esdb://…) or a client the caller owns the config of. */
  constructor(connection: string | EventStoreDBClient, options: EventStoreDbEventStoreOptions = {}) {
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.pingDeadlineMs = options.pingDeadlineMs ?? 5000;
    this.readPageSize = options.readPageSize ?? 500;
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    // Serializing up front makes a value JSON cannot hold fail before anything reaches the server,
    // so a batch is never cut short halfway through the client's request.
    events.forEach((event) => JSON.stringify([event.data, event.metadata]));
    const eventData = events.map((event) =>
      jsonEvent({
        id: event.id ?? randomUUID(),
        type: event.type,
        data: event.data,
        metadata: event.metadata ?? {},
      }),
    );
    try {
      const result = await this.client.appendToStream(streamId, eventData, {
        expectedRevision: toEsdbRevision(options.expectedRevision),
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
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, options.expectedRevision, error.actualVersion);
      }
      throw toStoreError(error, `append to ${streamId} failed`);
    }
  }

  async readStream(
    streamId: string,
    options: { fromRevision?: bigint; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    if (options.maxCount === 0) return [];
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? START,
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of read) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
      return events;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw toStoreError(error, `reading stream ${streamId} failed`);
    }
  }

  async readAll(options: { after?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const wanted = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (wanted <= 0) return events;
    // Reads from a position include the event at it, so `after` and page cursors are skipped by hand.
    let skipUpTo = options.after ?? -1n;
    let from: ReadPosition = skipUpTo < 0n ? START : { commit: skipUpTo, prepare: skipUpTo };
    try {
      for (;;) {
        const page = await this.readAllPage({
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
    } catch (error) {
      throw toStoreError(error, 'reading $all failed');
    }
  }

  async headPosition(): Promise<bigint> {
    let from: ReadPosition = END;
    try {
      for (;;) {
        const page = await this.readAllPage({
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
    } catch (error) {
      throw toStoreError(error, 'reading the head position failed');
    }
  }

  subscribeToAll(options: { after?: bigint }, handler: SubscriptionHandler): Subscription {
    const after = options.after ?? -1n;
    const fromPosition: ReadPosition = after < 0n ? START : { commit: after, prepare: after };
    const stream = this.client.subscribeToAll({
      fromPosition,
      filter: excludeSystemEvents(),
    });
    const subscription = new EventStoreDbSubscription(stream, handler, after, (finished) =>
      this.subscriptions.delete(finished),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async ping(): Promise<void> {
    try {
      await drain(
        this.client.readAll({
          direction: BACKWARDS,
          fromPosition: END,
          maxCount: 1,
          deadline: this.pingDeadlineMs,
        }),
      );
    } catch (error) {
      const mapped = toStoreError(error, 'EventStoreDB ping failed');
      // Any failure of a one-event read means the store is not usable, whatever the client called it.
      throw mapped instanceof StoreUnavailableError
        ? mapped
        : new StoreUnavailableError(`EventStoreDB ping failed: ${String(error)}`, error);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  private async readAllPage(options: Parameters<EventStoreDBClient['readAll']>[0]): Promise<AllStreamRecordedEvent[]> {
    const resolved = await drain(this.client.readAll(options));
    return resolved.flatMap((item) => (item.event ? [item.event] : []));
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
      if (!this.stopped) throw new StoreUnavailableError('EventStoreDB subscription ended');
    } catch (error) {
      if (!this.stopped) {
        this.stopped = true;
        this.reportError(handlerFailed ? error : toStoreError(error, 'subscription to $all failed'));
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

function toStoreError(error: unknown, message: string): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const unavailable =
    error instanceof Error &&
    ((isCommandError(error) && UNAVAILABLE_ERRORS.has(error.type)) ||
      // Discovery and channel failures are plain Errors, not CommandErrors.
      /Failed to discover|UNAVAILABLE|ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(error.message));
  return unavailable ? new StoreUnavailableError(`${message}: ${error.message}`, error) : error;
}
