import { resolve } from 'node:path';
import { loadConfig, type StoresConfig } from '@portcullis/config';

/**
 * ProjectorConfig is what the projector needs of Portcullis's configuration. It is read by the same loadConfig
 * as the api's (defaults < `PORTCULLIS_CONFIG_FILE` or `<data_dir>/config.yml` < `PORTCULLIS_*` environment),
 * so a store URL or an adapter setting in the file or the environment means the same in both processes.
 */
export interface ProjectorConfig {
  /** dataDir holds the embedded SQLite files (data_dir, default ./data). */
  readonly dataDir: string;
  /** eventStoreUrl selects EventStoreDB (eventstore_url); absent → SQLite in dataDir. */
  readonly eventStoreUrl?: string;
  /** mongodbUrl selects MongoDB (mongodb_url); absent → SQLite in dataDir. */
  readonly mongodbUrl?: string;
  /** natsUrl turns on publishing to NATS JetStream for webhook dispatchers (nats_url). */
  readonly natsUrl?: string;
  /** natsStream is the JetStream stream (webhooks.nats.stream, default PORTCULLIS_EVENTS). */
  readonly natsStream: string;
  /** stores tunes the adapters (eventstore.*, mongodb.*, nats.*: deadlines, concerns, reconnects). */
  readonly stores: StoresConfig;
  /** leaseMs is how long the leader may go without renewing before another instance takes over (projector.lease_ms). */
  readonly leaseMs: number;
  /** leaseRenewMs is how often the lease is renewed or watched (projector.lease_renew_ms). */
  readonly leaseRenewMs: number;
}

/** PROJECTOR_CONFIG is the Nest DI token for ProjectorConfig. */
export const PROJECTOR_CONFIG = Symbol('PROJECTOR_CONFIG');

/** projectorConfigFrom reads ProjectorConfig from an environment (and the config file it names); blank values count as absent. */
export function projectorConfigFrom(env: NodeJS.ProcessEnv): ProjectorConfig {
  const config = loadConfig(env);
  return {
    dataDir: resolve(config.dataDir),
    eventStoreUrl: config.eventStoreUrl || undefined,
    mongodbUrl: config.mongodbUrl || undefined,
    natsUrl: config.natsUrl || undefined,
    natsStream: config.webhooks.natsStream,
    stores: config.stores,
    leaseMs: config.projectorLease.leaseMs,
    leaseRenewMs: config.projectorLease.renewMs,
  };
}
