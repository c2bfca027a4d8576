import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { EVENT_STORE, READ_STORE, type EventStore, type ReadStore } from '@portcullis/persistence';
import { allProjections } from '@portcullis/read-models';
import { ActorRef } from '@portcullis/domain';
import { Actor, requireUser } from '../shared/actor';
import { APP_CONFIG, type AppConfig } from '../config/load-config';
import { LdapDirectory } from '../ldap/ldap-directory';
import { VERSION } from './version';

interface Check {
  msg: string;
  success: boolean;
}

async function check(name: string, probe: () => Promise<string>): Promise<[string, Check]> {
  try {
    return [name, { msg: await probe(), success: true }];
  } catch (e) {
    return [name, { msg: (e as Error).message, success: false }];
  }
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
  ) {}

  @Get('v1/_ping')
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: 200 with no body' })
  ping(@Res() res: Response) {
    res.status(200).end();
  }

  @Get('v1/health')
  @ApiOperation({ summary: 'Per-component health; 503 when one is down' })
  async health(@Res({ passthrough: true }) res: Response) {
    const results = await Promise.all([
      check('database', async () => {
        await this.events.ping();
        return this.config.eventStoreUrl ? 'EventStoreDB is reachable' : 'embedded SQLite event store is reachable';
      }),
      check('read_models', async () => {
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
      // Only when configured: a down directory makes health 503, though local accounts keep working.
      ...(this.ldap.enabled ? [check('ldap', () => this.ldap.ping())] : []),
    ]);
    const body = Object.fromEntries(results);
    res.status(results.every(([, c]) => c.success) ? 200 : 503);
    return body;
  }

  @Get('version')
  @ApiOperation({ summary: 'API versions and the build' })
  version(@Actor() actor: ActorRef | null) {
    requireUser(actor);
    return { 'api-versions': ['v1'], git: VERSION.git, version: VERSION.version };
  }
}
