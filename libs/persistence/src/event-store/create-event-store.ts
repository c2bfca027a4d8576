import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb-event-store';
import { SqliteEventStore } from './sqlite-event-store';

/** EventStoreConfig picks the adapter: EventStoreDB when `eventStoreUrl` is set, else SQLite in `dataDir`. */
export interface EventStoreConfig {
  readonly eventStoreUrl?: string;
  readonly dataDir: string;
  /** eventStoreDb tunes the EventStoreDB adapter (deadlines, reconnect backoff, logger); ignored for SQLite. */
  readonly eventStoreDb?: EventStoreDbEventStoreOptions;
}

/** createEventStore builds the configured EventStore adapter (docs/architecture.md, "absent → embedded"). */
export function createEventStore(config: EventStoreConfig): EventStore {
  if (config.eventStoreUrl) return new EventStoreDbEventStore(config.eventStoreUrl, config.eventStoreDb);
  mkdirSync(config.dataDir, { recursive: true });
  return new SqliteEventStore(join(config.dataDir, 'events.sqlite'));
}
