import type { EventStore, Subscription } from '../event-store/event-store.port';
import type { ReadStore } from '../read-store/read-store.port';
import type { Bus } from './bus.port';
import type { InProcessBus } from './in-process-bus';

/** FeedLogger is the little the feed says. */
export interface FeedLogger {
  error(message: string): void;
}

/**
 * EventStoreFeed publishes the event store to a bus: a catch-up subscription from a checkpoint kept in the
 * read store (`<name>`). When is a position safe to checkpoint?
 * - NATS: once JetStream acknowledged the publish (it is then durable there; a re-publish after a crash is
 *   dropped by Nats-Msg-Id).
 * - in-process: only once the consumer group settled it (InProcessBus.onSettled), because the bus forgets
 *   everything on a crash and the feed must publish it again.
 */
export class EventStoreFeed {
  private subscription: Subscription | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private saved: bigint | null = null;
  /** written is the last position handed to the store (saved may be ahead of it until the next flush). */
  private written: bigint | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: EventStore,
    private readonly reads: ReadStore,
    private readonly bus: Bus,
    private readonly name: string,
    private readonly options: {
      settleGroup?: string;
      /**
       * fromHead: a feed with no checkpoint yet records the store's head and starts there, not at the first
       * event (webhooks are for what happens from then on; history is redelivered only by replay).
       */
      fromHead?: boolean;
      logger?: FeedLogger;
      retryMs?: number;
      /** checkpointDelayMs: how long a new checkpoint may wait to be written together with later ones. */
      checkpointDelayMs?: number;
    } = {},
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.saved = await this.reads.getCheckpoint(this.name);
    if (this.saved === null && this.options.fromHead) {
      // An empty store's head is -1; a checkpoint is "after", and 0 is before every position the adapters hand out.
      const head = await this.events.headPosition();
      this.saved = head < 0n ? 0n : head;
      await this.reads.setCheckpoint(this.name, this.saved);
    }
    this.written = this.saved;
    if (this.bus.kind === 'in-process') {
      const group = this.options.settleGroup;
      (this.bus as InProcessBus).onSettled((g, through) => {
        if (g === group) this.save(through);
      });
    }
    this.follow(this.saved);
  }

  private follow(after: bigint | null): void {
    if (this.stopped) return;
    this.subscription = this.events.subscribeToAll(
      { after: after ?? undefined },
      {
        onEvent: async (event) => {
          await this.bus.publish(event);
          if (this.bus.kind === 'nats') this.save(event.position);
        },
        onError: (error) => {
          this.options.logger?.error(`event feed to the ${this.bus.kind} bus failed: ${(error as Error).message}`);
          this.subscription = null;
          // Restart from the saved checkpoint: anything published after it is deduplicated by the bus.
          this.retry = setTimeout(() => this.follow(this.saved), this.options.retryMs ?? 1000);
        },
      },
    );
  }

  /**
   * save persists the checkpoint, never backwards, one write at a time, and at most one write per
   * `checkpointDelayMs` (50): a push is several events, each settled on its own, and the checkpoint lives in
   * the shared read store the projector writes. A crash loses at most that much progress, which the feed
   * publishes again (a redelivered message schedules nothing twice: delivery ids derive from webhook + event).
   */
  private save(position: bigint): void {
    if (this.saved !== null && position <= this.saved) return;
    this.saved = position;
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, this.options.checkpointDelayMs ?? 50);
  }

  private flush(): void {
    const position = this.saved;
    if (position === null || position === this.written) return;
    this.written = position;
    this.saving = this.saving
      .then(() => this.reads.setCheckpoint(this.name, position))
      .catch((e: Error) => this.options.logger?.error(`feed checkpoint not saved: ${e.message}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.subscription?.stop();
    this.subscription = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flush();
    await this.saving;
  }
}
