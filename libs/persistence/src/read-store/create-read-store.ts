import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoReadStore, type MongoReadStoreOptions } from './mongo-read-store';
import type { ReadStore } from './read-store.port';
import { SqliteReadStore } from './sqlite-read-store';

/** ReadStoreConfig chooses the read-store adapter. */
export interface ReadStoreConfig {
  /** mongodbUrl selects MongoReadStore (MongoDB or FerretDB) when set and non-empty. */
  mongodbUrl?: string;
  /** dataDir holds `read-models.sqlite` when no mongodbUrl is set. */
  dataDir: string;
  /** mongodb: write/read concern, server-selection timeout and logger of the MongoDB adapter. */
  mongodb?: MongoReadStoreOptions;
}

/** READ_MODELS_FILE is the SQLite file name, inside the data dir, of the embedded read store. */
export const READ_MODELS_FILE = 'read-models.sqlite';

/**
 * createReadStore opens the configured read store: MongoReadStore when `mongodbUrl` is set (it
 * connects and pings, so a wrong URL fails at start rather than at the first query), else
 * SqliteReadStore over `${dataDir}/read-models.sqlite`.
 */
export async function createReadStore(config: ReadStoreConfig): Promise<ReadStore> {
  const url = config.mongodbUrl?.trim();
  if (url) return MongoReadStore.connect(url, config.mongodb);
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteReadStore(join(config.dataDir, READ_MODELS_FILE));
}
