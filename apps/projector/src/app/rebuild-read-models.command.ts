import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { EventStore, ReadStore } from '@portcullis/persistence';
import { EVENT_STORE, READ_STORE } from '@portcullis/persistence';
import type { LeaseDoc, RebuildResult } from '@portcullis/read-models';
import { allProjections, LEASES, LeaseKeeper, MAX_LEASE_MS, rebuildReadModels } from '@portcullis/read-models';
import { PROJECTOR_CONFIG, type ProjectorConfig } from './projector-config';
import { PROJECTOR_LEASE } from './projection-runner.service';

/** RebuildReport is the rebuild's result plus the document count of every collection afterwards. */
export interface RebuildReport extends RebuildResult {
  collections: Record<string, number>;
}

/** ProjectorRunningError: a projector process holds the projections lease, so a rebuild would race its writes. */
export class ProjectorRunningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectorRunningError';
  }
}

/**
 * rebuildReadModelsCommand drops and replays every read model (architecture rule 1), then logs the counts. It
 * takes the projector lease first, as a projector instance would (ADR 0009): a running projector renews it, so
 * the rebuild refuses with a clear message instead of racing its writes; a stopped one's lease is taken after
 * it stood unchanged for its length (at once if it was released cleanly). While the rebuild runs it holds the
 * lease, so a projector started meanwhile stands by, and every batch is fenced with it.
 */
export async function rebuildReadModelsCommand(
  app: INestApplicationContext,
  options: { waitMs?: number } = {},
): Promise<RebuildReport> {
  const logger = new Logger('rebuild-read-models');
  const eventStore = app.get<EventStore>(EVENT_STORE);
  const readStore = app.get<ReadStore>(READ_STORE);
  const config = app.get<ProjectorConfig>(PROJECTOR_CONFIG);
  const stored = await readStore.collection<LeaseDoc>(LEASES).get(PROJECTOR_LEASE);
  // Long enough for a stale lease to be taken (the stored holder's length, as followers judge it), no longer.
  const waitMs =
    options.waitMs ??
    (stored && !stored.released ? Math.min(Math.max(stored.leaseMs, config.leaseMs), MAX_LEASE_MS) : 0) +
      3 * config.leaseRenewMs;
  let elected: () => void = () => undefined;
  const won = new Promise<boolean>((resolve) => {
    elected = () => resolve(true);
    setTimeout(() => resolve(false), waitMs).unref();
  });
  const lease = new LeaseKeeper(readStore, {
    name: PROJECTOR_LEASE,
    leaseMs: config.leaseMs,
    renewMs: config.leaseRenewMs,
    logger,
    onElected: () => elected(),
    onDemoted: (reason) => logger.error(`lost the projector lease during the rebuild: ${reason}`),
  });
  lease.start();
  try {
    if (!(await won)) {
      const holder = (await readStore.collection<LeaseDoc>(LEASES).get(PROJECTOR_LEASE))?.owner ?? 'unknown';
      throw new ProjectorRunningError(
        `a projector is running (it holds the projections lease: ${holder}); stop every projector process ` +
          '(npm start, or the projector service) and run rebuild-read-models again',
      );
    }
    logger.log('dropping read models and replaying every event');
    const result = await rebuildReadModels(eventStore, readStore, allProjections, { fence: () => lease.fence() });
    const collections: Record<string, number> = {};
    for (const name of new Set(allProjections.flatMap((p) => p.collections))) {
      collections[name] = await readStore.collection(name).count();
    }
    logger.log(`replayed ${result.events} events in ${result.ms} ms`);
    for (const [name, count] of Object.entries(collections)) logger.log(`${name}: ${count}`);
    return { ...result, collections };
  } finally {
    // Released cleanly: a projector waiting for the lease takes it at its next look.
    await lease.stop();
  }
}
