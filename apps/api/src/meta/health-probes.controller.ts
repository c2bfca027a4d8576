import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, READ_STORE, type EventStore, type ReadStore } from '@portcullis/persistence';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { ProjectionLag } from '../observability/metrics-projection-lag';
import { Draining } from '../platform/graceful-shutdown';
import { ApiAnswer } from '../platform/openapi';
import { LivenessEntity, ReadinessEntity } from '@portcullis/contracts';

/** ProbeCheck is one readiness condition. */
interface ProbeCheck {
  ok: boolean;
  msg: string;
}

async function probe(run: () => Promise<string>): Promise<ProbeCheck> {
  try {
    return { ok: true, msg: await run() };
  } catch (e) {
    return { ok: false, msg: (e as Error).message };
  }
}

/**
 * HealthProbesController is what orchestrators and load balancers ask: `live` (the process answers; no
 * dependency is consulted, so a store outage never gets the process restarted) and `ready` (send traffic here:
 * stores reachable, read side caught up within health.ready.max_lag_seconds, not shutting down).
 * `/api/v1/health` keeps its per-component body for people.
 */
@ApiTags('meta')
@Controller('v1/health')
export class HealthProbesController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ProjectionLag) private readonly lag: ProjectionLag,
    @Inject(Draining) private readonly draining: Draining,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process answers; consults no dependency' })
  @ApiAnswer(200, LivenessEntity, 'Alive')
  live(): LivenessEntity {
    return { status: 'live' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: 200 when stores answer, projections are caught up and not draining; else 503' })
  @ApiAnswer(200, ReadinessEntity, 'Ready')
  @ApiAnswer(503, ReadinessEntity, 'Not ready, or draining')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessEntity> {
    if (this.draining.active) {
      res.status(503);
      return { status: 'draining', checks: { draining: { ok: false, msg: 'shutting down' } } };
    }
    const max = this.config.readyMaxLagSeconds;
    const [eventStore, readModels, projections] = await Promise.all([
      probe(async () => (await this.events.ping(), 'reachable')),
      probe(async () => (await this.reads.ping(), 'reachable')),
      probe(async () => {
        const worst = (await this.lag.sampleOnce()).reduce((a, b) => (b.seconds > a.seconds ? b : a));
        if (worst.seconds > max)
          throw new Error(`${worst.projection} is ${Math.round(worst.seconds)} s behind (bound ${max} s)`);
        return worst.events ? `${worst.events} event(s) behind, within ${max} s` : 'caught up';
      }),
    ]);
    const checks = { event_store: eventStore, read_models: readModels, projections };
    const ok = Object.values(checks).every((c) => c.ok);
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ready' : 'not_ready', checks };
  }
}
