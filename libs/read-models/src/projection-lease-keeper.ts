import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Collection, ReadStore } from '@portcullis/persistence';
import { decideLease, LEASES, type LeaseDoc, type Observation } from './projection-lease';
import type { RunnerLogger } from './projection-runner';

/** LeaseKeeperOptions configures a LeaseKeeper. */
export interface LeaseKeeperOptions {
  /** name is the lease name. */
  name: string;
  /** leaseMs is how long a holder may go without renewing before another process may take over. */
  leaseMs: number;
  /** renewMs is how often the lease is renewed (holder) or looked at (followers); well below leaseMs. */
  renewMs: number;
  /** onElected runs when this process took the lease; `epoch` is its fencing token. */
  onElected(epoch: number): Promise<void> | void;
  /** onDemoted runs when this process lost the lease or could not renew it in time. */
  onDemoted(reason: string): Promise<void> | void;
  logger?: RunnerLogger;
  /** owner overrides the generated owner id (tests). */
  owner?: string;
  /** clock overrides Date.now (tests). */
  clock?: () => number;
}

/** LeaseLostError is thrown by a fenced write when the lease now belongs to another epoch. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LeaseLostError';
  }
}

/** newOwnerId is a process's lease owner id: host, pid and random bytes, never reused across restarts. */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * LeaseKeeper takes and keeps a lease in the read store (decideLease on a timer). While it holds the lease
 * `fence()` re-asserts (owner, epoch) with a compare-and-set: called inside a projection batch, the batch's
 * checkpoints are only written while the lease is still this epoch's (on SQLite in the same transaction).
 * A holder that could not renew for leaseMs on its own clock steps down before a follower may take over.
 */
export class LeaseKeeper {
  readonly owner: string;
  private readonly clock: () => number;
  private readonly logger: RunnerLogger;
  private readonly leases: Collection<LeaseDoc>;
  private held: LeaseDoc | null = null;
  private renewedAt = 0;
  private observed: Observation | null = null;
  private timer: NodeJS.Timeout | null = null;
  private tick: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(
    readStore: ReadStore,
    private readonly options: LeaseKeeperOptions,
  ) {
    if (!(options.renewMs > 0 && options.renewMs < options.leaseMs)) {
      throw new Error(`lease renew interval (${options.renewMs} ms) must be positive and below the lease length`);
    }
    this.owner = options.owner ?? newOwnerId();
    this.clock = options.clock ?? Date.now;
    this.logger = options.logger ?? { log: () => undefined, error: () => undefined };
    this.leases = readStore.collection<LeaseDoc>(LEASES);
  }

  /** epoch is the fencing token this process holds, or null when it is not the leader. */
  get epoch(): number | null {
    return this.held?.epoch ?? null;
  }

  /** start runs the first round now and then one every renewMs. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * stop ends the rounds. A held lease is given up first (onDemoted stops the writers), then marked released so
   * that a follower takes it at its next round instead of after a whole lease length.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.tick;
    const held = this.held;
    if (!held) return;
    await this.demote('stopping');
    const released = await this.leases
      .replaceIf({ ...held, released: true }, { owner: held.owner, epoch: held.epoch })
      .catch(() => false);
    if (released) this.logger.log(`released lease ${this.options.name} (epoch ${held.epoch})`);
  }

  /**
   * fence throws LeaseLostError unless the stored lease is still this process's epoch. It writes (the same
   * document, compare-and-set on owner and epoch), so inside a SQLite batch it holds the write lock until commit.
   */
  async fence(): Promise<void> {
    // A compare-and-set may also fail without the lease changing hands (a renewal of this very process
    // landing in between, or an adapter that refuses concurrent writers to one document): then the stored
    // lease is re-read, and only a different owner or epoch counts as lost.
    for (let attempt = 1; ; attempt++) {
      const held = this.held;
      if (!held) throw new LeaseLostError(`not the holder of lease ${this.options.name}`);
      // The same document as stored, expected unchanged: a pure assertion, it never moves the renewal count back.
      const expected = { owner: held.owner, epoch: held.epoch, renewals: held.renewals };
      if (await this.leases.replaceIf(held, expected)) return;
      if (!(await this.stillMine(held)) || attempt >= 5) {
        throw new LeaseLostError(`lease ${this.options.name} epoch ${held.epoch} was taken over`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
    }
  }

  /** stillMine re-reads the lease: true when it is still this owner's epoch (its renewal count may have moved). */
  private async stillMine(held: LeaseDoc): Promise<boolean> {
    const stored = await this.leases.get(this.options.name);
    return stored !== null && stored.owner === held.owner && stored.epoch === held.epoch;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick = this.round().finally(() => this.schedule(this.options.renewMs));
    }, ms);
  }

  private async round(): Promise<void> {
    try {
      const stored = await this.leases.get(this.options.name);
      const now = this.clock();
      const decision = decideLease({
        name: this.options.name,
        me: this.owner,
        now,
        leaseMs: this.options.leaseMs,
        held: this.held?.epoch ?? null,
        stored,
        observed: this.observed,
      });
      this.observed = decision.observed;
      if (decision.action === 'follow') return;
      if (decision.action === 'lost') return void (await this.demote(decision.reason));
      const wrote = await this.leases.replaceIf(decision.write, decision.expected ?? { epoch: { $exists: false } });
      if (this.stopped) return;
      if (!wrote) {
        this.observed = null;
        const held = this.held;
        if (!held) return;
        // Still ours (a fence of this process wrote in between): try again next round, unless the lease would
        // expire before then in followers' eyes.
        if (
          (await this.stillMine(held)) &&
          this.clock() - this.renewedAt < this.options.leaseMs - this.options.renewMs
        ) {
          return;
        }
        await this.demote(`lease ${this.options.name} changed under a renewal`);
        return;
      }
      this.renewedAt = now;
      if (decision.action === 'acquire') {
        this.held = decision.write;
        this.logger.log(`took lease ${this.options.name} (epoch ${decision.write.epoch}) as ${this.owner}`);
        // Not awaited: a long catch-up must not hold up the renewals that keep the lease.
        void Promise.resolve()
          .then(() => this.options.onElected(decision.write.epoch))
          .catch((error: unknown) => this.logger.error(`lease ${this.options.name}: start failed: ${String(error)}`));
      } else {
        this.held = decision.write;
      }
    } catch (error) {
      this.logger.error(`lease ${this.options.name}: ${error instanceof Error ? error.message : String(error)}`);
      // Unable to renew: step down before followers (who wait leaseMs after the last change they saw) may take over.
      if (this.held && this.clock() - this.renewedAt >= this.options.leaseMs - this.options.renewMs) {
        await this.demote('could not renew in time');
      }
    }
  }

  private async demote(reason: string): Promise<void> {
    if (!this.held) return;
    const epoch = this.held.epoch;
    this.held = null;
    this.logger.log(`gave up lease ${this.options.name} (epoch ${epoch}): ${reason}`);
    await this.options.onDemoted(reason);
  }
}
