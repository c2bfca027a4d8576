import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { RecordPullCommand, type PullMark } from './registry-events.commands';

type PendingPull = PullMark;

/**
 * PullRecorder turns pull notifications into last-pulled marks without a write storm: a pull only
 * updates an in-memory map (the latest pull per registry/repository/tag), and every
 * `registry.pulls.coalesce_seconds` the map is drained into at most one RepositoryPulled per tag.
 * The notification is answered before anything is written, so 1000 pulls/s cost 1000 map sets.
 * Marks still pending when the process dies are lost; last-pulled is a hint (Portus's GC input), not
 * an audit record.
 */
@Injectable()
export class PullRecorder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('registry-pulls');
  private pending = new Map<string, PendingPull>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  readonly intervalMs: number;

  constructor(
    private readonly commands: CommandBus,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.intervalMs = Number(config.raw['registry.pulls.coalesce_seconds'] ?? 30) * 1000;
  }

  onApplicationBootstrap() {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown() {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  /** record notes a pull (by tag, or by digest when the client pulled by digest). */
  record(pull: PendingPull): void {
    const key = `${pull.registryId}\n${pull.repository}\n${pull.tag ?? `@${pull.digest}`}`;
    this.pending.set(key, pull);
  }

  /** pendingCount is how many marks wait for the next flush. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** flush appends the pending marks; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.drain());
    return this.flushing;
  }

  private async drain(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    for (const pull of batch) {
      try {
        await this.commands.execute(new RecordPullCommand(pull));
      } catch (e) {
        this.logger.warn(`could not record pulls of ${pull.repository}: ${(e as Error).message}`);
      }
    }
  }
}
