import type { AdapterLogger, EventStoreConfig, NatsBusOptions, ReadStoreConfig } from '@portcullis/persistence';
import type { StoresConfig } from './load-config';

/** StoreSettings is the part of the configuration that picks and tunes the stores (AppConfig has it). */
export interface StoreSettings {
  readonly dataDir: string;
  readonly eventStoreUrl?: string | null;
  readonly mongodbUrl?: string | null;
  readonly stores: StoresConfig;
}

/**
 * eventStoreConfig is what createEventStore needs: the URL (none: SQLite in the data dir), the EventStoreDB
 * deadlines and reconnect backoff (eventstore.*), and where connection changes are logged. The api, the
 * dispatcher and the projector all build their stores with these three functions, so a setting means the same
 * in every process.
 */
export function eventStoreConfig(config: StoreSettings, logger: AdapterLogger): EventStoreConfig {
  return {
    eventStoreUrl: config.eventStoreUrl || undefined,
    dataDir: config.dataDir,
    eventStoreDb: { ...config.stores.eventStore, logger },
  };
}

/** readStoreConfig is what createReadStore needs: URL, data dir, write/read concern, selection timeout (mongodb.*). */
export function readStoreConfig(config: StoreSettings, logger: AdapterLogger): ReadStoreConfig {
  return {
    mongodbUrl: config.mongodbUrl || undefined,
    dataDir: config.dataDir,
    mongodb: { ...config.stores.mongodb, logger },
  };
}

/** natsBusOptions is what NatsJetStreamBus.connect needs: servers, stream, reconnect timing (nats.*). */
export function natsBusOptions(
  config: { readonly natsUrl: string; readonly natsStream: string; readonly stores: StoresConfig },
  logger: AdapterLogger,
): NatsBusOptions {
  return {
    url: config.natsUrl,
    stream: config.natsStream,
    reconnectTimeWaitMs: config.stores.nats.reconnectWaitMs,
    reconnectJitterMs: config.stores.nats.reconnectJitterMs,
    logger,
  };
}
