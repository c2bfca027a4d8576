import { resolve } from 'node:path';

/** ProjectorConfig is what the projector reads from the environment. */
export interface ProjectorConfig {
  /** dataDir holds the embedded SQLite files (PORTCULLIS_DATA_DIR, default ./data). */
  readonly dataDir: string;
  /** eventStoreUrl selects EventStoreDB (PORTCULLIS_EVENTSTORE_URL); absent → SQLite in dataDir. */
  readonly eventStoreUrl?: string;
  /** mongodbUrl selects MongoDB (PORTCULLIS_MONGODB_URL); absent → SQLite in dataDir. */
  readonly mongodbUrl?: string;
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
  };
}
