import { Body, Controller, Get, Param, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { z } from 'zod';
import {
  CreateRegistryRequest,
  FieldValidation,
  RegistryEntity,
  UpdateRegistryRequest,
  boolish,
} from '@portcullis/contracts';
import { notFound, validateRegistry, type ActorRef } from '@portcullis/domain';
import { Doc } from '@portcullis/persistence';
import { ApiBodyFrom } from '../platform/api-body';
import { ApiAnswer, ApiQueryFrom } from '../platform/openapi';
import { Actor, parseId, requireAdmin } from '../platform/actor';
import { parse, settle } from '../platform/http';
import { ReadSide } from '../platform/read-side';
import { CreateRegistryCommand, UpdateRegistryCommand } from './registries.commands';
import { checkReachable } from './reachability';

const ValidateQuery = z
  .object({
    name: z.string().max(4096).optional(),
    hostname: z.string().max(4096).optional(),
    use_ssl: boolish().optional(),
    external_hostname: z.string().max(4096).optional(),
    only: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .strict();

/** toRegistryEntity renders Portus's Registries entity. */
export function toRegistryEntity(r: Doc & Record<string, unknown>): RegistryEntity {
  return {
    id: r['id'] as number,
    name: r['name'] as string,
    hostname: r['hostname'] as string,
    external_hostname: (r['external_hostname'] as string | null) ?? null,
    use_ssl: r['use_ssl'] === true,
    created_at: r['created_at'] as string,
    updated_at: r['updated_at'] as string,
  };
}

/** RegistriesController is Portus's /api/v1/registries (admin only). */
@ApiTags('registries')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/registries')
export class RegistriesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly read: ReadSide,
  ) {}

  private async show(id: number, res: Response, position: bigint | null, status = 200) {
    await settle(this.read, res, position);
    const registry = await this.read.registry(id);
    if (!registry) throw notFound('REGISTRY.NOT_FOUND', 'registry not found');
    res.status(status);
    return toRegistryEntity(registry);
  }

  @Get()
  @ApiOperation({ summary: 'List registries (admin)' })
  @ApiAnswer(200, z.array(RegistryEntity), 'The registries (at most one)')
  async list(@Actor() actor: ActorRef | null) {
    requireAdmin(actor);
    return (await this.read.registries()).map(toRegistryEntity);
  }

  @Get('validate')
  @ApiOperation({ summary: 'Validate registry fields, including whether it is reachable' })
  @ApiAnswer(200, FieldValidation, 'Problems per field, if any')
  @ApiQueryFrom(ValidateQuery)
  async validate(@Actor() actor: ActorRef | null, @Query() query: unknown) {
    requireAdmin(actor);
    const q = parse(ValidateQuery, query);
    const only = q.only === undefined ? null : Array.isArray(q.only) ? q.only : [q.only];
    const problems = validateRegistry({
      name: q.name ?? '',
      hostname: q.hostname ?? '',
      externalHostname: q.external_hostname ?? null,
    });
    const messages: Record<string, string[]> = {};
    const apiField = (f: string) => (f === 'externalHostname' ? 'external_hostname' : f);
    for (const p of problems) {
      const field = apiField(p.field);
      if (!only || only.includes(field)) (messages[field] ??= []).push(p.message);
    }
    if ((!only || only.includes('hostname')) && !messages['hostname'] && q.hostname) {
      const probe = await checkReachable(q.hostname, q.use_ssl ?? false);
      if (!probe.reachable) messages['hostname'] = [probe.reason];
    }
    return { valid: Object.keys(messages).length === 0, messages };
  }

  @Post()
  @ApiOperation({ summary: 'Create the registry (only one; reachability checked unless force)' })
  @ApiAnswer(201, RegistryEntity, 'The registry created')
  @ApiBodyFrom(CreateRegistryRequest)
  async create(@Actor() actor: ActorRef | null, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const admin = requireAdmin(actor);
    const { registry, force } = parse(CreateRegistryRequest, body);
    const done = await this.commands.execute(
      new CreateRegistryCommand(
        admin,
        {
          name: registry.name,
          hostname: registry.hostname,
          useSsl: registry.use_ssl,
          externalHostname: registry.external_hostname ?? null,
        },
        force ?? false,
      ),
    );
    return this.show(done.id, res, done.position, 201);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Update the registry (hostname locked once repositories exist)' })
  @ApiAnswer(200, RegistryEntity, 'The registry as changed')
  @ApiBodyFrom(UpdateRegistryRequest)
  async update(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const admin = requireAdmin(actor);
    const id = parseId(rawId, 'registry');
    const { registry, force } = parse(UpdateRegistryRequest, body);
    const done = await this.commands.execute(
      new UpdateRegistryCommand(
        admin,
        id,
        {
          name: registry.name,
          hostname: registry.hostname,
          useSsl: registry.use_ssl,
          externalHostname: registry.external_hostname,
        },
        force ?? false,
      ),
    );
    return this.show(id, res, done.position);
  }
}
