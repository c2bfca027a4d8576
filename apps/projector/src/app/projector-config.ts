import { resolve } from 'node:path';

/** ProjectorConfig is what the projector reads from the environment. */
export interface ProjectorConfig {
  /** dataDir holds the embedded SQLite files (PORTCULLIS_DATA_DIR, default ./data). */
  readonly dataDir: string;
  /** eventStoreUrl selects EventStoreDB (PORTCULLIS_EVENTSTORE_URL); absent → SQLite in dataDir. */
  readonly eventStoreUrl?: string;
  /** mongodbUrl selects MongoDB (PORTCULLIS_MONGODB_URL); absent → SQLite in dataDir. */
  readonly mongodbUrl?: string;
  /** natsUrl turns on publishing to NATS JetStream for webhook dispatchers (PORTCULLIS_NATS_URL). */
  readonly natsUrl?: string;
  /** natsStream is the JetStream stream (PORTCULLIS_WEBHOOKS_NATS_STREAM, default PORTCULLIS_EVENTS). */
  readonly natsStream: string;
}

/** PROJECTOR_CONFIG is the Nest DI token for ProjectorConfig. */
export const PROJECTOR_CONFIG = Symbol('PROJECTOR_CONFIG');

/** projectorConfigFrom reads ProjectorConfig from an environment; blank values count as absent. */
export function projectorConfigFrom(env: NodeJS.ProcessEnv): ProjectorConfig {
  const value = (name: string) => env[name]?.trim() || undefined;
  return {
    dataDir: resolve(value('PORTCULLIS_DATA_DIR') ?? './data'),
    eventStoreUrl: value('PORTCULLIS_EVENTSTORE_URL'),
    mongodbUrl: value('PORTCULLIS_MONGODB_URL'),
    natsUrl: value('PORTCULLIS_NATS_URL'),
    natsStream: value('PORTCULLIS_WEBHOOKS_NATS_STREAM') ?? 'PORTCULLIS_EVENTS',
  };
}
