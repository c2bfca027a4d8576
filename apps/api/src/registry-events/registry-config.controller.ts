import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import type { ActorRef } from '@portcullis/domain';
import { Actor, parseId, requireAdmin } from '../platform/actor';
import { parse } from '../platform/http';
import { ApiAnswer, ApiQueryFrom } from '../platform/openapi';
import { RegistryConfigEntity } from '@portcullis/contracts';
import { RegistryConfigService } from './registry-config';

const ConfigQuery = z
  .object({
    listen: z.string().max(300).optional(),
    portcullis_url: z.string().max(2048).optional(),
    storage: z.string().max(4096).optional(),
    bundle_path: z.string().max(4096).optional(),
  })
  .strict();

/** RegistryConfigController is GET /api/v1/registries/:id/config (admin): a runnable registry config. */
@ApiTags('registries')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/registries')
export class RegistryConfigController {
  constructor(private readonly configs: RegistryConfigService) {}

  @Get(':id/config')
  @ApiOperation({
    summary:
      'A complete distribution 2.8 config.yml and cert bundle for this registry (contains its notification secret)',
  })
  @ApiAnswer(200, RegistryConfigEntity, 'The files and the command that runs them')
  @ApiQueryFrom(ConfigQuery)
  async get(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Query() query: unknown, @Req() req: Request) {
    requireAdmin(actor);
    const q = parse(ConfigQuery, query);
    const files = await this.configs.build(parseId(rawId, 'registry'), {
      listen: q.listen,
      // The admin reached Portcullis at this address; the registry usually can too.
      portcullisUrl: q.portcullis_url ?? `${req.protocol}://${req.get('host')}`,
      storageDir: q.storage ?? '/var/lib/docker-registry',
      bundlePath: q.bundle_path ?? '/etc/docker/registry/portcullis-bundle.crt',
    });
    return { files, run: 'docker-registry serve config.yml' };
  }
}
