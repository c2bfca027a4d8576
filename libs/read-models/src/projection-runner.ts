import type { EventStore, ReadStore, RecordedEvent, Subscription } from '@portcullis/persistence';
import type { Projection } from './projection';

/** RunnerLogger is the little the runner says; Nest's Logger fits it. */
export interface RunnerLogger {
  log(message: string): void;
  error(message: string, trace?: string): void;
}

/** ProjectionRunnerOptions tunes a ProjectionRunner. */
export interface ProjectionRunnerOptions {
  /** batchSize is how many events one catch-up batch applies in one readStore.batch (default 500). */
  batchSize?: number;
  /** retryDelayMs is the first wait before restarting after a failure; it doubles up to 30 s (default 1000). */
  retryDelayMs?: number;
  logger?: RunnerLogger;
  /**
   * fence, when set, runs inside every batch before its writes and again before its checkpoints, and throws
   * when this runner may no longer write (LeaseKeeper.fence: the lease's epoch moved on). On SQLite the batch is
   * one transaction, so a failed fence rolls the whole batch back.
   */
  fence?: () => Promise<void>;
  /**
   * checkpointsInMemory: the read store lives and dies with this runner (the api's in-memory ACL index), so its
   * checkpoints are kept in this runner only, never written to the store, and a batch no projection handles
   * (a push is several events none of the ACL projections reads) opens no transaction at all.
   */
  checkpointsInMemory?: boolean;
}

/** Checkpoints maps projection name → position of the last event it has seen (null: none yet). */
type Checkpoints = Map<string, bigint | null>;

const silent: RunnerLogger = { log: () => undefined, error: () => undefined };

/**
 * ProjectionRunner keeps read models current: it catches up from the lowest checkpoint in batches, then
 * follows a catch-up subscription. Each batch's writes and checkpoints go through one readStore.batch
 * (atomic on SQLite; on MongoDB a crash replays the batch, which idempotent projections absorb).
 */
export class ProjectionRunner {
  private readonly batchSize: number;
  private readonly logger: RunnerLogger;
  private readonly retryDelayMs: number;
  private readonly fence: (() => Promise<void>) | undefined;
  private readonly persist: boolean;
  private checkpoints: Checkpoints = new Map();
  private subscription: Subscription | null = null;
  /** queue holds events the subscription delivered that no batch has applied yet. */
  private queue: RecordedEvent[] = [];
  private flushing: Promise<void> | null = null;
  /** broken is set when a batch failed: later events must not be applied past the gap until the restart. */
  private broken = false;
  private running: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = true;

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly projections: readonly Projection[],
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.logger = options.logger ?? silent;
    this.fence = options.fence;
    this.persist = !options.checkpointsInMemory;
  }

  /**
   * start ensures indexes, catches up and subscribes. It resolves once the read models have caught up;
   * if that fails it rejects, and the runner keeps retrying with backoff until stop().
   */
  async start(): Promise<void> {
    if (!this.stopped) throw new Error('ProjectionRunner already started');
    this.stopped = false;
    await this.run();
  }

  /** stop ends the subscription and any catch-up in flight; the stores stay open (their owner closes them). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.running?.catch(() => undefined);
    await this.unsubscribe();
  }

  /** position is the lowest checkpoint this runner has committed, or null before the first event. */
  position(): bigint | null {
    return minCheckpoint(this.checkpoints);
  }

  private run(): Promise<void> {
    const attempt = this.catchUpAndSubscribe().then(
      () => {
        this.failures = 0;
      },
      (error: unknown) => {
        this.fail(error);
        throw error;
      },
    );
    this.running = attempt;
    return attempt;
  }

  private async catchUpAndSubscribe(): Promise<void> {
    this.broken = false;
    await ensureIndexes(this.readStore, this.projections);
    // In memory, a restart after a failure goes on from what this runner committed (the store kept it).
    if (this.persist || this.checkpoints.size === 0)
      this.checkpoints = await loadCheckpoints(this.readStore, this.projections);
    let after = minCheckpoint(this.checkpoints);
    const started = Date.now();
    let applied = 0;
    for (;;) {
      if (this.stopped) return;
      const events = await this.eventStore.readAll({
        after: after ?? undefined,
        maxCount: this.batchSize,
      });
      if (events.length === 0) break;
      await applyBatch(this.readStore, this.projections, this.checkpoints, events, this.fence, this.persist);
      applied += events.length;
      after = events[events.length - 1].position;
      // SQLite answers synchronously: without a turn of the event loop a long catch-up would starve every
      // timer in the process (the projector's lease renewals among them).
      await yieldToEventLoop();
    }
    if (applied > 0) {
      this.logger.log(`caught up ${applied} events in ${Date.now() - started} ms`);
    }
    if (this.stopped) return;
    this.subscription = this.eventStore.subscribeToAll(
      { after: after ?? undefined },
      {
        onEvent: (event) => this.enqueue(event),
        onError: (error) => {
          this.subscription = null;
          this.fail(error);
        },
      },
    );
  }

  /**
   * enqueue collects the subscription's events and applies them in batches: the first event of a quiet
   * period alone, then whatever arrived while that batch was being written. Under a steady stream of events
   * one transaction (and one fence, one set of checkpoint writes) covers many events instead of one each.
   * The subscription waits only when a whole batch is queued (back-pressure).
   */
  private enqueue(event: RecordedEvent): Promise<void> {
    if (this.broken) return Promise.resolve();
    this.queue.push(event);
    if (!this.flushing) {
      this.flushing = this.flush().finally(() => (this.flushing = null));
    }
    return this.queue.length >= this.batchSize ? this.flushing : Promise.resolve();
  }

  private async flush(): Promise<void> {
    // Let the subscription hand over what it has already read before the first batch starts.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.queue.length > 0 && !this.stopped) {
      const events = this.queue.splice(0, this.batchSize);
      try {
        await applyBatch(this.readStore, this.projections, this.checkpoints, events, this.fence, this.persist);
        await yieldToEventLoop();
      } catch (error) {
        // The restart reads from the committed checkpoints; what is queued now is read again.
        this.broken = true;
        this.queue = [];
        void this.unsubscribe();
        this.fail(error);
        return;
      }
    }
  }

  /** fail logs and schedules a restart from the committed checkpoints, backing off on repeated failures. */
  private fail(error: unknown): void {
    if (this.stopped) return;
    this.failures += 1;
    const delay = Math.min(this.retryDelayMs * 2 ** (this.failures - 1), 30_000);
    this.logger.error(
      `projection failed (attempt ${this.failures}); restarting in ${delay} ms: ${describe(error)}`,
      error instanceof Error ? error.stack : undefined,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.unsubscribe().then(() => (this.stopped ? undefined : this.run().catch(() => undefined)));
    }, delay);
  }

  private async unsubscribe(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    await subscription?.stop();
    // No batch may still be writing when a restart reloads the checkpoints or the owner closes the stores.
    await this.flushing;
    this.queue = [];
  }
}

/**
 * applyBatch applies events (in position order) to every projection that handles them and has not seen
 * them yet, then advances every projection's checkpoint to the last position, handled or not, so
 * waitForPosition never waits on an event no projection reads (reservations, say). With `persistCheckpoints`
 * false (an in-memory store that lives with its runner) the checkpoints advance in `checkpoints` only, and a
 * batch that no projection handles touches the store not at all.
 */
export async function applyBatch(
  readStore: ReadStore,
  projections: readonly Projection[],
  checkpoints: Checkpoints,
  events: readonly RecordedEvent[],
  fence?: () => Promise<void>,
  persistCheckpoints = true,
): Promise<void> {
  if (events.length === 0) return;
  const last = events[events.length - 1].position;
  // The projections whose checkpoint this batch moves (all of them once caught up).
  const behind = projections
    .filter((projection) => {
      const seen = checkpoints.get(projection.name) ?? null;
      return seen === null || seen < last;
    })
    .map((projection) => projection.name);
  const handles = (projection: Projection, event: RecordedEvent) => {
    const seen = checkpoints.get(projection.name) ?? null;
    return (seen === null || seen < event.position) && projection.canHandle.includes(event.type);
  };
  // Persisted checkpoints advance in a batch anyway; in memory, a batch is only worth opening for a write.
  if (persistCheckpoints || events.some((event) => projections.some((projection) => handles(projection, event))))
    await readStore.batch(async () => {
      await fence?.();
      for (const event of events) {
        for (const projection of projections) {
          if (handles(projection, event)) await projection.apply(event, readStore);
        }
      }
      if (!persistCheckpoints) return;
      // Again just before the checkpoints: without transactions (MongoDB) this narrows the window in which a
      // paused ex-leader could still write; with them (SQLite) the first call already holds the write lock.
      if (fence && !readStore.atomicBatches) await fence();
      // One write for all of them (15 projections: 15 statements, or 15 MongoDB round trips, per batch before).
      await readStore.setCheckpoints(behind, last);
    });
  // Only after the batch committed: a failed batch is retried from the stored checkpoints.
  for (const name of behind) checkpoints.set(name, last);
}

/** ensureIndexes creates every projection's declared indexes (idempotent). */
export async function ensureIndexes(readStore: ReadStore, projections: readonly Projection[]): Promise<void> {
  for (const projection of projections) {
    for (const [name, specs] of Object.entries(projection.indexes ?? {})) {
      await readStore.collection(name).ensureIndexes(specs);
    }
  }
}

async function loadCheckpoints(readStore: ReadStore, projections: readonly Projection[]): Promise<Checkpoints> {
  const checkpoints: Checkpoints = new Map();
  for (const p of projections) checkpoints.set(p.name, await readStore.getCheckpoint(p.name));
  return checkpoints;
}

function minCheckpoint(checkpoints: Checkpoints): bigint | null {
  let min: bigint | null = null;
  for (const cp of checkpoints.values()) {
    if (cp === null) return null;
    if (min === null || cp < min) min = cp;
  }
  return min;
}

/** yieldToEventLoop lets timers and I/O run between batches. */
function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * waitForPosition resolves true once every projection's checkpoint is at or past `position` (read-your-
 * writes: the api passes the position its command returned), or false after `timeoutMs`.
 */
export async function waitForPosition(
  readStore: ReadStore,
  projections: readonly Pick<Projection, 'name'>[],
  position: bigint,
  timeoutMs: number,
  pollMs = 5,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // A checkpoint never goes back, so projections[0..reached) need not be read again.
  let reached = 0;
  for (;;) {
    while (reached < projections.length) {
      const cp = await readStore.getCheckpoint(projections[reached].name);
      if (cp === null || cp < position) break;
      reached += 1;
    }
    if (reached === projections.length) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
  }
}

/** RebuildResult reports a rebuild: how many events were replayed and how long it took. */
export interface RebuildResult {
  events: number;
  ms: number;
}

/**
 * rebuildReadModels drops every projection's collections and checkpoints and replays all events from the
 * start in batches (architecture rule 1). Run it with the projector stopped.
 */
export async function rebuildReadModels(
  eventStore: EventStore,
  readStore: ReadStore,
  projections: readonly Projection[],
  options: { batchSize?: number; fence?: () => Promise<void> } = {},
): Promise<RebuildResult> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 500;
  // A rebuild that holds the projector lease asserts it before dropping anything, and in every batch after.
  await options.fence?.();
  await readStore.dropCollections(
    [...new Set(projections.flatMap((p) => p.collections))],
    projections.map((p) => p.name),
  );
  await ensureIndexes(readStore, projections);
  const checkpoints: Checkpoints = new Map(projections.map((p) => [p.name, null]));
  let after: bigint | undefined;
  let count = 0;
  for (;;) {
    const events = await eventStore.readAll({ after, maxCount: batchSize });
    if (events.length === 0) break;
    await applyBatch(readStore, projections, checkpoints, events, options.fence);
    count += events.length;
    // Lets the lease's renewals run between batches of a long replay.
    await yieldToEventLoop();
    after = events[events.length - 1].position;
  }
  return { events: count, ms: Date.now() - started };
}
