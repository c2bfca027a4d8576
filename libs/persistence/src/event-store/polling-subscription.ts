import type { RecordedEvent, Subscription, SubscriptionHandler } from './event-store.port';

/** PollingSubscriptionSource is what a PollingSubscription needs from its store. */
export interface PollingSubscriptionSource {
  /** readAfter returns at most `maxCount` events after `after` (exclusive), in position order. */
  readAfter(after: bigint, maxCount: number): RecordedEvent[] | Promise<RecordedEvent[]>;
  /** onAppend registers a wake-up call for appends made in this process; it returns the unregister fn. */
  onAppend(wake: () => void): () => void;
  /**
   * changes, when the source has it, counts the changes the source has seen so far, its own appends and those of
   * other processes alike, and the source calls the onAppend wake-ups for both: a caught-up subscription then
   * waits for a wake-up only (no timer of its own), and re-reads at once when the count moved while it read.
   * Without it, the subscription also polls every `pollIntervalMs` for appends made by other processes.
   */
  changes?(): number;
}

/** PollingSubscriptionOptions tunes how a PollingSubscription catches up and waits. */
export interface PollingSubscriptionOptions {
  readonly after: bigint;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
}

/**
 * PollingSubscription is a catch-up subscription over a store that cannot push: it reads batches
 * after its position until it is caught up, then waits for an in-process append or the poll
 * interval (appends made by another process are only seen by polling), or, when the source counts
 * changes (see `changes`), for the source's wake-up alone.
 */
export class PollingSubscription implements Subscription {
  private stopped = false;
  private wakeSleeper: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly source: PollingSubscriptionSource,
    private readonly handler: SubscriptionHandler,
    private readonly options: PollingSubscriptionOptions,
    private readonly onFinished: (subscription: PollingSubscription) => void,
  ) {
    // The first read waits for a macrotask so subscribeToAll returns before any handler runs.
    this.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run());
  }

  /** stop resolves once no handler call is in flight; do not await it from inside onEvent (it would wait for itself). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeSleeper?.();
    await this.done;
  }

  private async run(): Promise<void> {
    let after = this.options.after;
    try {
      while (!this.stopped) {
        const seen = this.source.changes?.();
        const batch = await this.source.readAfter(after, this.options.batchSize);
        for (const event of batch) {
          if (this.stopped) return;
          await this.handler.onEvent(event);
          after = event.position;
        }
        // A change counted since the read began may be after what it returned: read again rather than wait.
        if (batch.length < this.options.batchSize && (seen === undefined || seen === this.source.changes?.()))
          await this.sleep();
      }
    } catch (error) {
      this.stopped = true;
      try {
        this.handler.onError?.(error);
      } catch {
        // NOTE: an onError that throws must not turn into an unhandled rejection of the loop.
      }
    } finally {
      this.stopped = true;
      this.onFinished(this);
    }
  }

  private sleep(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let woken = false;
      const wake = (): void => {
        if (woken) return;
        woken = true;
        clearTimeout(timer);
        unregister();
        this.wakeSleeper = undefined;
        resolve();
      };
      // A source that counts changes wakes its subscriptions for other processes' appends too (one watch per
      // source instead of one poll per subscription); a timer is only needed without it.
      const timer = this.source.changes ? undefined : setTimeout(wake, this.options.pollIntervalMs);
      const unregister = this.source.onAppend(wake);
      this.wakeSleeper = wake;
    });
  }
}
