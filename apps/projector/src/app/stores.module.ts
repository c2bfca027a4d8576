import { OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { EventStore, ReadStore } from '@portcullis/persistence';
import { createEventStore, createReadStore, EVENT_STORE, READ_STORE } from '@portcullis/persistence';
import { eventStoreConfig, readStoreConfig } from '@portcullis/config';
import { ProjectorConfig } from './projector-config';
import { PROJECTOR_CONFIG, projectorConfigFrom } from './projector-config';

/** StoresCloser closes both stores last, after every consumer has stopped (onApplicationShutdown). */
@Injectable()
export class StoresCloser implements OnApplicationShutdown {
  private readonly logger = new Logger(StoresCloser.name);

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.eventStore.close(), this.readStore.close()]);
    this.logger.log('stores closed');
  }
}

/** StoresModule provides the configured EventStore and ReadStore (embedded SQLite unless URLs are set). */
@Module({
  providers: [
    {
      provide: PROJECTOR_CONFIG,
      useFactory: () => projectorConfigFrom(process.env),
    },
    {
      provide: EVENT_STORE,
      inject: [PROJECTOR_CONFIG],
      useFactory: (config: ProjectorConfig): EventStore =>
        createEventStore(eventStoreConfig(config, new Logger('eventstore'))),
    },
    {
      provide: READ_STORE,
      inject: [PROJECTOR_CONFIG],
      useFactory: (config: ProjectorConfig): Promise<ReadStore> =>
        createReadStore(readStoreConfig(config, new Logger('mongodb'))),
    },
    StoresCloser,
  ],
  exports: [PROJECTOR_CONFIG, EVENT_STORE, READ_STORE],
})
export class StoresModule {}
