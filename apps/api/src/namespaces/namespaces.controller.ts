import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { z } from 'zod';
import {
  CreateNamespaceRequest,
  FieldValidation,
  NamespaceEntity,
  PageQuery,
  RepositoryEntity,
  UpdateNamespaceRequest,
} from '@portcullis/contracts';
import {
  forbidden,
  namespaceCanPull,
  notFound,
  validateNamespaceName,
  type ActorRef,
  type NamespaceKind,
  type Visibility,
} from '@portcullis/domain';
import type { Doc, Filter } from '@portcullis/persistence';
import { ApiBodyFrom } from '../platform/api-body';
import { ApiAnswer, ApiList, ApiQueryFrom } from '../platform/openapi';
import { Actor, parseId, requireUser } from '../platform/actor';
import { pageRequest, parse, setPageHeaders, settle } from '../platform/http';
import { ReadSide } from '../platform/read-side';
import { toNamespaceEntity } from './entities';
import { CreateNamespaceCommand, DeleteNamespaceCommand, UpdateNamespaceCommand } from './namespaces.commands';
import { RepositoryAccess } from '../repositories/repository-access';
import { RepositoryViews } from '../repositories/repositories.controller';

type D = Doc & Record<string, unknown>;

const REPOSITORY_SORT = ['name', 'full_name', 'created_at', 'updated_at'];

const ValidateQuery = z.object({ name: z.string().max(4096) }).strict();

/** NamespacesController is Portus's /api/v1/namespaces. */
@ApiTags('namespaces')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/namespaces')
export class NamespacesController {
  private readonly views: RepositoryViews;

  constructor(
    private readonly commands: CommandBus,
    private readonly read: ReadSide,
    access: RepositoryAccess,
  ) {
    this.views = new RepositoryViews(read, access);
  }

  private async entity(ns: Record<string, unknown> & { _id: string }): Promise<NamespaceEntity> {
    const [team, registry] = await Promise.all([
      this.read.team(ns['team_id'] as number),
      this.read.registry(ns['registry_id'] as number),
    ]);
    return toNamespaceEntity(ns, team, registry);
  }

  /** visible enforces Portus's show? (= pull?): public to all, protected to users, private to members and admins. */
  private async visible(actor: ActorRef | null, rawId: string) {
    const ns = await this.read.namespace(parseId(rawId, 'namespace'));
    if (!ns) throw notFound('NAMESPACE.NOT_FOUND', 'namespace not found');
    const role = actor ? await this.read.roleOf(ns['team_id'] as number, actor.id) : null;
    if (
      !namespaceCanPull({ visibility: ns['visibility'] as Visibility, kind: ns['kind'] as NamespaceKind }, actor, role)
    ) {
      requireUser(actor);
      throw forbidden('AUTH.FORBIDDEN', 'Authorization fails');
    }
    return ns;
  }

  private async show(id: number, res: Response, position: bigint | null, status = 200) {
    await settle(this.read, res, position);
    const ns = await this.read.namespace(id);
    if (!ns) throw notFound('NAMESPACE.NOT_FOUND', 'namespace not found');
    res.status(status);
    return this.entity(ns);
  }

  @Get()
  @ApiOperation({ summary: 'Namespaces you can see (public, protected, your teams’; admins: all)' })
  @ApiList(NamespaceEntity, 'One page of namespaces')
  @ApiQueryFrom(PageQuery)
  async list(
    @Actor() actor: ActorRef | null,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const page = await this.read.listNamespaces(me, await this.read.teamIdsOf(me.id), pageRequest(query));
    setPageHeaders(req, res, page);
    return Promise.all(page.items.map((ns) => this.entity(ns)));
  }

  @Get('validate')
  @ApiOperation({ summary: 'Is this a valid, free namespace name?' })
  @ApiAnswer(200, FieldValidation, 'Problems with the name, if any')
  @ApiQueryFrom(ValidateQuery)
  async validate(@Actor() actor: ActorRef | null, @Query() query: unknown): Promise<FieldValidation> {
    requireUser(actor);
    const { name } = parse(ValidateQuery, query);
    const messages = validateNamespaceName(name);
    if (!messages.length && (await this.read.namespaceByName(name))) messages.push('has already been taken');
    return { valid: messages.length === 0, messages: messages.length ? { name: messages } : {} };
  }

  @Post()
  @ApiOperation({ summary: 'Create a namespace in a team (created private)' })
  @ApiAnswer(201, NamespaceEntity, 'The namespace created')
  @ApiBodyFrom(CreateNamespaceRequest)
  async create(@Actor() actor: ActorRef | null, @Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const me = requireUser(actor);
    const input = parse(CreateNamespaceRequest, body);
    const done = await this.commands.execute(
      new CreateNamespaceCommand(me, input.name, input.team, input.description ?? ''),
    );
    return this.show(done.id, res, done.position, 201);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Show a namespace' })
  @ApiAnswer(200, NamespaceEntity, 'The namespace')
  async get(@Actor() actor: ActorRef | null, @Param('id') rawId: string) {
    return this.entity(await this.visible(actor, rawId));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Change name, description, team or visibility' })
  @ApiAnswer(200, NamespaceEntity, 'The namespace as changed')
  @ApiBodyFrom(UpdateNamespaceRequest)
  async update(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const ns = await this.visible(me, rawId);
    const { namespace } = parse(UpdateNamespaceRequest, body);
    const id = ns['id'] as number;
    const done = await this.commands.execute(
      new UpdateNamespaceCommand(me, id, {
        name: namespace.name,
        description: namespace.description,
        teamName: namespace.team,
        visibility: namespace.visibility,
      }),
    );
    return this.show(id, res, done.position);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a team namespace' })
  @ApiAnswer(204, null, 'Deleted')
  async remove(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Res({ passthrough: true }) res: Response) {
    const me = requireUser(actor);
    const ns = await this.visible(me, rawId);
    const done = await this.commands.execute(new DeleteNamespaceCommand(me, ns['id'] as number));
    await settle(this.read, res, done.position);
  }

  @Get(':id/repositories')
  @ApiOperation({ summary: "The namespace's repositories, paged like every list (page, per_page, search, sort)" })
  @ApiList(RepositoryEntity, 'One page of repositories')
  @ApiQueryFrom(PageQuery)
  async repositories(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const ns = await this.visible(actor, rawId);
    const request = pageRequest(query);
    const filter: Filter = { namespace_id: ns['id'] as number };
    if (request.search) filter['name'] = { $contains: request.search };
    // Portus listed these by name; that stays the default order.
    const sorted = { ...request, sortAttr: request.sortAttr ?? 'name' };
    const page = await this.read.page<D>('repositories', filter, sorted, REPOSITORY_SORT);
    setPageHeaders(req, res, page);
    return this.views.entities(page.items, actor);
  }
}
