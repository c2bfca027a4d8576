import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventStore, ReadStore } from '@portcullis/persistence';
import { EVENT_STORE, READ_STORE } from '@portcullis/persistence';
import { allProjections, LeaseKeeper, ProjectionRunner } from '@portcullis/read-models';
import { BusPublisherService } from './bus-publisher.service';
import { ProjectorConfig } from './projector-config';
import { PROJECTOR_CONFIG } from './projector-config';

/** PROJECTOR_LEASE is the lease that makes one projector instance the writer of every projection (ADR 0009). */
export const PROJECTOR_LEASE = 'projections';

/**
 * ProjectionRunnerService runs every projection for the life of the process, but only while this instance
 * holds the projector lease: any number of projector processes may run, exactly one writes. Every batch is
 * fenced with the lease's epoch, so an instance that lost the lease while paused cannot write after it.
 */
@Injectable()
export class ProjectionRunnerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectionRunnerService.name);
  /** runner is exposed for tests and health checks. */
  readonly runner: ProjectionRunner;
  /** lease is exposed for tests and health checks: `lease.epoch` is non-null while this instance leads. */
  readonly lease: LeaseKeeper;

  constructor(
    @Inject(EVENT_STORE) eventStore: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(PROJECTOR_CONFIG) config: ProjectorConfig,
    private readonly publisher: BusPublisherService,
  ) {
    this.lease = new LeaseKeeper(readStore, {
      name: PROJECTOR_LEASE,
      leaseMs: config.leaseMs,
      renewMs: config.leaseRenewMs,
      logger: this.logger,
      onElected: (epoch) => this.lead(epoch),
      onDemoted: (reason) => this.standBy(reason),
    });
    this.runner = new ProjectionRunner(eventStore, readStore, allProjections, {
      logger: this.logger,
      fence: () => this.lease.fence(),
    });
  }

  onApplicationBootstrap(): void {
    this.logger.log(`projector ${this.lease.owner}: waiting for the projector lease`);
    this.lease.start();
  }

  /** beforeApplicationShutdown stops the subscription before StoresCloser closes the stores. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    await this.lease.stop();
    await this.runner.stop();
    this.logger.log(`projections stopped${signal ? ` (${signal})` : ''}`);
  }

  private async lead(epoch: number): Promise<void> {
    this.logger.log(`leading (epoch ${epoch}): starting ${allProjections.length} projections`);
    // On failure the runner logs and retries by itself; the publisher's failure is logged and left to the next term.
    await Promise.all([
      this.runner.start().then(
        () => this.logger.log('caught up; following the event store'),
        () => undefined,
      ),
      this.publisher.start().catch((error: unknown) => this.logger.error(`bus publisher: ${String(error)}`)),
    ]);
  }

  private async standBy(reason: string): Promise<void> {
    this.logger.log(`standing by: ${reason}`);
    await Promise.all([this.runner.stop(), this.publisher.stop()]);
  }
}
