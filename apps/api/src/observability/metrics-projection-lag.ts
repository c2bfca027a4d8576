import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { EVENT_STORE, READ_STORE, type EventStore, type ReadStore } from '@portcullis/persistence';
import { allProjections } from '@portcullis/read-models';
import { Metrics } from './metrics';

/** LAG_COUNT_CAP bounds the events one scrape counts per checkpoint; a gauge at the cap means "at least". */
export const LAG_COUNT_CAP = 1000;

/** ProjectionLagSample is one projection's distance from the event store's head. */
export interface ProjectionLagSample {
  readonly projection: string;
  /** events not yet applied, counted up to LAG_COUNT_CAP. */
  readonly events: number;
  /** seconds since the oldest event not yet applied was written; 0 when caught up. */
  readonly seconds: number;
}

/**
 * ProjectionLag measures, at the moment it is asked (a scrape, a readiness probe), how far each projection's
 * checkpoint is behind the event store's head. It reads the shared stores, so the api reports the lag of
 * projections run by a separate projector process too (which has no HTTP port of its own). Positions are not
 * event counts on every adapter (EventStoreDB's are log offsets), so events are counted by reading them.
 */
@Injectable()
export class ProjectionLag implements OnModuleInit {
  private pending: Promise<ProjectionLagSample[]> | null = null;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    // Both gauges share one sample per scrape (pending is reused while the first collect is running).
    const gauge = (field: 'events' | 'seconds', name: string, help: string) => {
      const g: Gauge<'projection'> = new Gauge({
        name,
        help,
        labelNames: ['projection'],
        registers: [this.metrics.registry],
        collect: async () => {
          for (const s of await this.sampleOnce()) g.set({ projection: s.projection }, s[field]);
        },
      });
    };
    gauge(
      'events',
      'portcullis_projection_lag_events',
      `events the projection has not applied yet (counted up to ${LAG_COUNT_CAP})`,
    );
    gauge(
      'seconds',
      'portcullis_projection_lag_seconds',
      'age of the oldest event the projection has not applied yet (0 when caught up)',
    );
  }

  /** sampleOnce shares one running sample between concurrent callers. */
  sampleOnce(): Promise<ProjectionLagSample[]> {
    this.pending ??= this.sample().finally(() => (this.pending = null));
    return this.pending;
  }

  /** sample reads every projection's checkpoint and what lies after it (once per distinct checkpoint). */
  async sample(now: number = Date.now()): Promise<ProjectionLagSample[]> {
    const checkpoints = await Promise.all(allProjections.map((p) => this.reads.getCheckpoint(p.name)));
    const behind = new Map<string, Promise<{ events: number; seconds: number }>>();
    const after = (checkpoint: bigint | null) => {
      const key = String(checkpoint);
      let found = behind.get(key);
      if (!found) {
        found = this.events.readAll({ after: checkpoint ?? undefined, maxCount: LAG_COUNT_CAP }).then((events) => ({
          events: events.length,
          seconds: events.length ? Math.max(0, (now - Date.parse(events[0].created)) / 1000) : 0,
        }));
        behind.set(key, found);
      }
      return found;
    };
    return Promise.all(allProjections.map(async (p, i) => ({ projection: p.name, ...(await after(checkpoints[i])) })));
  }
}
