import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import {
  EVENT_STORE,
  READ_STORE,
  hasHealth,
  type ComponentHealth,
  type EventStore,
  type ReadStore,
} from '@portcullis/persistence';
import { allProjections } from '@portcullis/read-models';
import { ActorRef } from '@portcullis/domain';
import { Actor, requireUser } from '../platform/actor';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { LdapDirectory } from '../ldap/ldap-directory';
import { WebhookRuntimeService } from '../webhooks/webhook-runtime.service';
import { VERSION } from '../platform/version';
import { ApiAnswer } from '../platform/openapi';
import { HealthEntity, VersionEntity } from '@portcullis/contracts';

interface Check {
  msg: string;
  success: boolean;
  status: ComponentHealth['status'];
}

async function check(name: string, probe: () => Promise<string>): Promise<[string, Check]> {
  try {
    return [name, { msg: await probe(), success: true, status: 'up' }];
  } catch (e) {
    return [name, { msg: (e as Error).message, success: false, status: 'down' }];
  }
}

/** component asks an adapter that tracks its connection (EventStoreDB, MongoDB, NATS), else probes it. */
async function component(name: string, adapter: unknown, probe: () => Promise<string>): Promise<[string, Check]> {
  if (!hasHealth(adapter)) return check(name, probe);
  const health = await adapter.health();
  return [name, { msg: health.message, success: health.status === 'up', status: health.status }];
}

/** MetaController is `_ping`, `health` and `version`. */
@ApiTags('meta')
@Controller()
export class MetaController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ldap: LdapDirectory,
    private readonly webhooks: WebhookRuntimeService,
  ) {}

  @Get('v1/_ping')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: 200 with no body' })
  @ApiAnswer(200, null, 'Alive (no body)')
  ping(@Res() res: Response) {
    res.status(200).end();
  }

  @Get('v1/health')
  @ApiOperation({ summary: 'Per-component health; 503 when one is down' })
  @ApiAnswer(200, HealthEntity, 'Every component is up')
  @ApiAnswer(503, HealthEntity, 'A component is down')
  async health(@Res({ passthrough: true }) res: Response) {
    const results = await Promise.all([
      component('database', this.events, async () => {
        await this.events.ping();
        return this.config.eventStoreUrl ? 'EventStoreDB is reachable' : 'embedded SQLite event store is reachable';
      }),
      component('read_models', this.reads, async () => {
        await this.reads.ping();
        return this.config.mongodbUrl ? 'MongoDB is reachable' : 'embedded SQLite read models are reachable';
      }),
      check('projector', async () => {
        const head = await this.events.headPosition();
        const checkpoints = await Promise.all(allProjections.map((p) => this.reads.getCheckpoint(p.name)));
        const lowest = checkpoints.reduce<bigint>((min, c) => (c === null ? -1n : c < min ? c : min), head);
        if (head >= 0n && lowest < head) {
          const lag = head - (lowest < 0n ? -1n : lowest);
          // A lag is normal for an instant after a write; only report it, health is about reachability.
          return `projections are ${lag} event(s) behind`;
        }
        return 'projections are up to date';
      }),
      // Only where this process holds a NATS connection (dispatcher or publisher): webhooks wait while it is down.
      ...(this.webhooks.runtime?.bus.kind === 'nats'
        ? [component('bus', this.webhooks.runtime.bus, async () => 'NATS is reachable')]
        : []),
      // Only when configured: a down directory makes health 503, though local accounts keep working.
      ...(this.ldap.enabled ? [check('ldap', () => this.ldap.ping())] : []),
    ]);
    const body = Object.fromEntries(results);
    res.status(results.every(([, c]) => c.success) ? 200 : 503);
    return body;
  }

  @Get('version')
  @ApiOperation({ summary: 'API versions and the build' })
  @ApiAnswer(200, VersionEntity, 'The versions')
  version(@Actor() actor: ActorRef | null) {
    requireUser(actor);
    return { 'api-versions': ['v1'], git: VERSION.git, version: VERSION.version };
  }
}
