import { randomUUID } from 'node:crypto';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  Subscription,
  SubscriptionHandler,
} from '@portcullis/persistence';
import { WrongExpectedRevisionError } from '@portcullis/persistence';

/**
 * InMemoryEventStoreForTests is an EventStore in an array: positions are 0-based indexes, and
 * subscriptions catch up then wait for appends, one awaited event at a time like the real adapters.
 */
export class InMemoryEventStoreForTests implements EventStore {
  private readonly events: RecordedEvent[] = [];
  private wake: Array<() => void> = [];
  /** now stamps `created`; tests may replace it. */
  now = () => new Date().toISOString();

  async append(
    streamId: string,
    events: readonly NewEvent[],
    { expectedRevision }: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const stream = this.events.filter((e) => e.streamId === streamId);
    const actual = stream.length === 0 ? 'no_stream' : stream[stream.length - 1].revision;
    const ok =
      expectedRevision === 'any' ||
      (expectedRevision === 'no_stream' && actual === 'no_stream') ||
      (expectedRevision === 'stream_exists' && actual !== 'no_stream') ||
      expectedRevision === actual;
    if (!ok) throw new WrongExpectedRevisionError(streamId, expectedRevision, actual);
    let revision = BigInt(stream.length);
    for (const e of events) {
      this.events.push({
        id: e.id ?? randomUUID(),
        streamId,
        type: e.type,
        revision: revision++,
        position: BigInt(this.events.length),
        data: structuredClone(e.data),
        metadata: structuredClone(e.metadata ?? {}),
        created: this.now(),
      });
    }
    const wake = this.wake;
    this.wake = [];
    wake.forEach((w) => w());
    return {
      nextExpectedRevision: revision - 1n,
      position: BigInt(this.events.length - 1),
    };
  }

  async readStream(
    streamId: string,
    options: { fromRevision?: bigint; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    return this.events
      .filter((e) => e.streamId === streamId && e.revision >= (options.fromRevision ?? 0n))
      .slice(0, options.maxCount);
  }

  async readAll(options: { after?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const start = options.after === undefined ? 0 : Number(options.after) + 1;
    return this.events.slice(start, options.maxCount === undefined ? undefined : start + options.maxCount);
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.events.length - 1);
  }

  subscribeToAll(options: { after?: bigint }, handler: SubscriptionHandler): Subscription {
    let next = options.after === undefined ? 0 : Number(options.after) + 1;
    let stopped = false;
    let interrupt: () => void = () => undefined;
    const loop = (async () => {
      while (!stopped) {
        if (next < this.events.length) {
          try {
            await handler.onEvent(this.events[next]);
          } catch (error) {
            handler.onError?.(error);
            return;
          }
          next += 1;
        } else {
          await new Promise<void>((resolve) => {
            interrupt = resolve;
            this.wake.push(resolve);
          });
        }
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        interrupt();
        await loop;
      },
    };
  }

  async ping(): Promise<void> {
    return;
  }

  async close(): Promise<void> {
    return;
  }
}
