import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { SqliteEventStore } from './sqlite-event-store';

/** EventStoreConfig picks the adapter: EventStoreDB when `eventStoreUrl` is set, else SQLite in `dataDir`. */
export interface EventStoreConfig {
  readonly eventStoreUrl?: string;
  readonly dataDir: string;
}

/** createEventStore builds the configured EventStore adapter (docs/architecture.md, "absent → embedded"). */
export function createEventStore(config: EventStoreConfig): EventStore {
  if (config.eventStoreUrl) return new EventStoreDbEventStore(config.eventStoreUrl);
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
}
