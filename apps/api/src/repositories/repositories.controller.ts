import { Body, Controller, Delete, Get, Param, Put, Query, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ImageDeletionEntity,
  PageQuery,
  RepositoryEntity,
  TagDeletionEntity,
  TagEntity,
  UpdateRepositoryRequest,
} from '@portcullis/contracts';
import { z } from 'zod';
import { notFound, type ActorRef } from '@portcullis/domain';
import type { Doc } from '@portcullis/persistence';
import { Actor, parseId, requireAdmin, requireUser } from '../platform/actor';
import { pageRequest, parse, setPageHeaders, setPosition, settle } from '../platform/http';
import { ApiAnswer, ApiList, ApiQueryFrom } from '../platform/openapi';
import { ApiBodyFrom } from '../platform/api-body';
import { ReadSide } from '../platform/read-side';
import { StarredQuery, starredFilter, starsOf } from './star-views';
import { toRepositoryEntity, toTagEntity } from './entities';
import { RepositoryAccess, type Scoped } from './repository-access';
import { ChangeRepositoryDescriptionCommand, DeleteImagesCommand } from './repositories.commands';

type D = Doc & Record<string, unknown>;

const REPOSITORY_SORT = ['name', 'full_name', 'created_at', 'updated_at'];
const TAG_SORT = ['name', 'created_at', 'updated_at', 'pushed_at', 'pulled_at', 'size'];

/** RepositoryViews renders repositories and tags; shared by the repositories, tags and namespaces controllers. */
export class RepositoryViews {
  constructor(
    readonly read: ReadSide,
    readonly access: RepositoryAccess,
  ) {}

  tags(repositoryId: number) {
    return this.read.store.collection<D>('tags').find({ repository_id: repositoryId }, { sort: [['name', 1]] });
  }

  async entity(s: Scoped, actor: ActorRef | null): Promise<RepositoryEntity> {
    const id = s.repository['id'] as number;
    const [count, stars, registry] = await Promise.all([
      this.read.store.collection('tags').count({ repository_id: id }),
      starsOf(this.read.store, id, actor),
      this.read.registry(s.repository['registry_id'] as number),
    ]);
    return toRepositoryEntity(s.repository, s.namespace, registry, count, this.access.canDestroy(s, actor), stars);
  }

  /** entities renders a page of repositories for the caller. */
  entities(rows: D[], actor: ActorRef | null): Promise<RepositoryEntity[]> {
    return Promise.all(rows.map(async (r) => this.entity(await this.access.scoped(r, actor), actor)));
  }

  async visible(id: number, actor: ActorRef | null): Promise<Scoped> {
    const s = await this.access.scoped(await this.read.store.collection<D>('repositories').get(String(id)), actor);
    this.access.requireShow(s, actor);
    return s;
  }

  async deleteDigests(commands: CommandBus, s: Scoped, actor: ActorRef, digests: string[] | null) {
    this.access.requireDestroy(s, actor);
    const registry = await this.read.registry(s.repository['registry_id'] as number);
    if (!registry) throw notFound('REGISTRY.NOT_FOUND', 'registry not found');
    return commands.execute(
      new DeleteImagesCommand(
        actor,
        {
          id: registry['id'] as number,
          hostname: registry['hostname'] as string,
          useSsl: registry['use_ssl'] === true,
        },
        s.repository['full_name'] as string,
        digests,
      ),
    );
  }
}

/** RepositoriesController is Portus's /api/v1/repositories. */
@ApiTags('repositories')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/repositories')
export class RepositoriesController {
  private readonly views: RepositoryViews;

  constructor(
    private readonly commands: CommandBus,
    read: ReadSide,
    access: RepositoryAccess,
  ) {
    this.views = new RepositoryViews(read, access);
  }

  @Get()
  @ApiOperation({
    summary: 'Repositories you can see (public namespaces and your teams’; admins: all); starred=true: your stars',
  })
  @ApiList(RepositoryEntity, 'One page of repositories')
  @ApiQueryFrom(PageQuery.extend(StarredQuery.shape))
  async list(
    @Actor() actor: ActorRef | null,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const req_ = pageRequest(query);
    const filter = await this.views.access.listFilter(me);
    if (req_.search) filter['full_name'] = { $contains: req_.search };
    Object.assign(filter, await starredFilter(this.views.read.store, me, query));
    const page = await this.views.read.page<D>('repositories', filter, req_, REPOSITORY_SORT);
    setPageHeaders(req, res, page);
    return this.views.entities(page.items, me);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Show a repository' })
  @ApiAnswer(200, RepositoryEntity, 'The repository')
  async get(@Actor() actor: ActorRef | null, @Param('id') rawId: string) {
    return this.views.entity(await this.views.visible(parseId(rawId, 'repository'), actor), actor);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Change the description (admin or namespace owner)' })
  @ApiBodyFrom(UpdateRepositoryRequest)
  @ApiAnswer(200, RepositoryEntity, 'The repository as changed')
  async update(
    @Actor() actor: ActorRef | null,
    @Param('id') rawId: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ) {
    const me = requireUser(actor);
    const s = await this.views.visible(parseId(rawId, 'repository'), me);
    const { repository } = parse(UpdateRepositoryRequest, body);
    const done = await this.commands.execute(
      new ChangeRepositoryDescriptionCommand(
        me,
        s.repository['registry_id'] as number,
        s.repository['full_name'] as string,
        repository.description,
        s.role,
      ),
    );
    await settle(this.views.read, res, done.position);
    return this.views.entity(await this.views.visible(s.repository['id'] as number, me), me);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete every image of the repository in the registry, then the repository' })
  @ApiAnswer(200, ImageDeletionEntity, 'What was deleted')
  async remove(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Res({ passthrough: true }) res: Response) {
    const me = requireUser(actor);
    const s = await this.views.visible(parseId(rawId, 'repository'), me);
    const done = await this.views.deleteDigests(this.commands, s, me, null);
    setPosition(res, done.position);
    return { digests: done.digests, repository_deleted: done.repository_deleted };
  }

  @Get(':id/tags')
  @ApiOperation({ summary: 'The repository’s tags' })
  @ApiAnswer(200, z.array(TagEntity), 'The tags, by name')
  async tags(@Actor() actor: ActorRef | null, @Param('id') rawId: string) {
    const s = await this.views.visible(parseId(rawId, 'repository'), actor);
    return (await this.views.tags(s.repository['id'] as number)).map(toTagEntity);
  }

  @Get(':id/tags/grouped')
  @ApiOperation({ summary: 'Tags grouped by digest (tags of one image together), newest group first' })
  @ApiAnswer(200, z.array(z.array(TagEntity)), 'Groups of tags sharing a digest')
  async grouped(@Actor() actor: ActorRef | null, @Param('id') rawId: string) {
    const s = await this.views.visible(parseId(rawId, 'repository'), actor);
    const groups = new Map<string, TagEntity[]>();
    for (const t of (await this.views.tags(s.repository['id'] as number)).map(toTagEntity)) {
      groups.set(t.digest, [...(groups.get(t.digest) ?? []), t]);
    }
    const newest = (g: TagEntity[]) => g.reduce((m, t) => (t.pushed_at > m ? t.pushed_at : m), '');
    return [...groups.values()].sort((a, b) => newest(b).localeCompare(newest(a)));
  }

  @Get(':id/tags/:tag_id')
  @ApiOperation({ summary: 'One tag of the repository' })
  @ApiAnswer(200, TagEntity, 'The tag')
  async tag(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Param('tag_id') rawTag: string) {
    requireUser(actor);
    const s = await this.views.visible(parseId(rawId, 'repository'), actor);
    const tag = await this.views.read.store.collection<D>('tags').get(String(parseId(rawTag, 'tag')));
    if (!tag || tag['repository_id'] !== s.repository['id']) throw notFound('TAG.NOT_FOUND', 'tag not found');
    return toTagEntity(tag);
  }
}

/** TagsController is Portus's /api/v1/tags. */
@ApiTags('tags')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/tags')
export class TagsController {
  private readonly views: RepositoryViews;

  constructor(
    private readonly commands: CommandBus,
    read: ReadSide,
    access: RepositoryAccess,
  ) {
    this.views = new RepositoryViews(read, access);
  }

  @Get()
  @ApiOperation({ summary: 'Every tag (admin)' })
  @ApiList(TagEntity, 'One page of tags')
  @ApiQueryFrom(PageQuery)
  async list(
    @Actor() actor: ActorRef | null,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    requireAdmin(actor);
    const page = await this.views.read.page<D>('tags', {}, pageRequest(query), TAG_SORT);
    setPageHeaders(req, res, page);
    return page.items.map(toTagEntity);
  }

  private async visibleTag(rawId: string, actor: ActorRef | null) {
    requireUser(actor);
    const tag = await this.views.read.store.collection<D>('tags').get(String(parseId(rawId, 'tag')));
    if (!tag) throw notFound('TAG.NOT_FOUND', 'tag not found');
    return { tag, scoped: await this.views.visible(tag['repository_id'] as number, actor) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Show a tag' })
  @ApiAnswer(200, TagEntity, 'The tag')
  async get(@Actor() actor: ActorRef | null, @Param('id') rawId: string) {
    return toTagEntity((await this.visibleTag(rawId, actor)).tag);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete the tag’s image in the registry: every tag with the same digest goes too' })
  @ApiAnswer(200, TagDeletionEntity, 'What was deleted')
  async remove(@Actor() actor: ActorRef | null, @Param('id') rawId: string, @Res({ passthrough: true }) res: Response) {
    const me = requireUser(actor);
    const { tag, scoped } = await this.visibleTag(rawId, me);
    const done = await this.views.deleteDigests(this.commands, scoped, me, [tag['digest'] as string]);
    setPosition(res, done.position);
    // tags: every tag name the delete removed (they shared the digest), so a client can say which went.
    const tags = [...new Set(done.digests.flatMap((d) => d.tags))].sort();
    return { digests: done.digests, tags, repository_deleted: done.repository_deleted };
  }
}
