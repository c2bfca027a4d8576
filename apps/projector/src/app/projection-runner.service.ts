import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventStore, ReadStore } from '@portcullis/persistence';
import { EVENT_STORE, READ_STORE } from '@portcullis/persistence';
import { allProjections, ProjectionRunner } from '@portcullis/read-models';

/** ProjectionRunnerService runs every projection for the life of the process. */
@Injectable()
export class ProjectionRunnerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectionRunnerService.name);
  /** runner is exposed for tests and health checks. */
  readonly runner: ProjectionRunner;

  constructor(@Inject(EVENT_STORE) eventStore: EventStore, @Inject(READ_STORE) readStore: ReadStore) {
    this.runner = new ProjectionRunner(eventStore, readStore, allProjections, {
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.logger.log(`starting ${allProjections.length} projections`);
    // Not awaited: a long catch-up must not hold up bootstrap, or SIGTERM could not stop it cleanly.
    // On failure the runner logs and retries by itself.
    this.runner.start().then(
      () => this.logger.log('caught up; following the event store'),
      () => undefined,
    );
  }

  /** beforeApplicationShutdown stops the subscription before StoresCloser closes the stores. */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    await this.runner.stop();
    this.logger.log(`projections stopped${signal ? ` (${signal})` : ''}`);
  }
}
