import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { EventStore, ReadStore } from '@portcullis/persistence';
import { EVENT_STORE, READ_STORE } from '@portcullis/persistence';
import type { RebuildResult } from '@portcullis/read-models';
import { allProjections, rebuildReadModels } from '@portcullis/read-models';

/** RebuildReport is the rebuild's result plus the document count of every collection afterwards. */
export interface RebuildReport extends RebuildResult {
  collections: Record<string, number>;
}

/**
 * rebuildReadModelsCommand drops and replays every read model (architecture rule 1), then logs the
 * counts. Run it with the projector daemon stopped: both would write the same collections.
 */
export async function rebuildReadModelsCommand(app: INestApplicationContext): Promise<RebuildReport> {
  const logger = new Logger('rebuild-read-models');
  const eventStore = app.get<EventStore>(EVENT_STORE);
  const readStore = app.get<ReadStore>(READ_STORE);
  logger.log('dropping read models and replaying every event');
  const result = await rebuildReadModels(eventStore, readStore, allProjections);
  const collections: Record<string, number> = {};
  for (const name of new Set(allProjections.flatMap((p) => p.collections))) {
    collections[name] = await readStore.collection(name).count();
  }
  logger.log(`replayed ${result.events} events in ${result.ms} ms`);
  for (const [name, count] of Object.entries(collections)) logger.log(`${name}: ${count}`);
  return { ...result, collections };
}
