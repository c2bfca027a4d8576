import { Logger } from '@nestjs/common';
import type { EventStoreConfig, NatsBusOptions, ReadStoreConfig } from '@portcullis/persistence';
import type { AppConfig } from '@portcullis/config';

/**
 * eventStoreConfig is what createEventStore needs from AppConfig: the URL, the data dir and the
 * EventStoreDB deadlines and reconnect backoff, with a logger for connection changes.
 */
export function eventStoreConfig(config: AppConfig): EventStoreConfig {
  return {
    eventStoreUrl: config.eventStoreUrl ?? undefined,
    dataDir: config.dataDir,
    eventStoreDb: { ...config.stores.eventStore, logger: new Logger('eventstore') },
  };
}

/** readStoreConfig is what createReadStore needs: URL, data dir, write/read concern, selection timeout, logger. */
export function readStoreConfig(config: AppConfig): ReadStoreConfig {
  return {
    mongodbUrl: config.mongodbUrl ?? undefined,
    dataDir: config.dataDir,
    mongodb: { ...config.stores.mongodb, logger: new Logger('mongodb') },
  };
}

/** natsBusOptions is what NatsJetStreamBus.connect needs: servers, stream, reconnect timing, logger. */
export function natsBusOptions(config: AppConfig & { natsUrl: string }): NatsBusOptions {
  return {
    url: config.natsUrl,
    stream: config.webhooks.natsStream,
    reconnectTimeWaitMs: config.stores.nats.reconnectWaitMs,
    reconnectJitterMs: config.stores.nats.reconnectJitterMs,
    logger: new Logger('nats'),
  };
}
