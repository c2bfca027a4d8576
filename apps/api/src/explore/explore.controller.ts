import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { ActorRef } from '@portcullis/domain';
import type { Doc } from '@portcullis/persistence';
import { visibleRepositoriesFilter } from '@portcullis/read-models';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { ReadSide } from '../platform/read-side';
import { RepositoryViews } from '../repositories/repositories.controller';
import { RepositoryAccess } from '../repositories/repository-access';
import { Actor, requireUser } from '../platform/actor';
import { pageRequest, setPageHeaders } from '../platform/http';
import { ApiList, ApiQueryFrom } from '../platform/openapi';
import { PageQuery, RepositoryEntity } from '@portcullis/contracts';

type D = Doc & Record<string, unknown>;

const REPOSITORY_SORT = ['name', 'full_name', 'created_at', 'updated_at'];

/**
 * ExploreController is Portus's explore page: the repositories of public namespaces, for anyone when
 * anonymous_browsing.enabled is on, else for signed-in users only (401).
 */
@ApiTags('explore')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/explore')
export class ExploreController {
  private readonly views: RepositoryViews;

  constructor(
    read: ReadSide,
    access: RepositoryAccess,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.views = new RepositoryViews(read, access);
  }

  @Get('repositories')
  @ApiOperation({ summary: 'Repositories of public namespaces (anonymous only with anonymous_browsing.enabled)' })
  @ApiList(RepositoryEntity, 'One page of repositories')
  @ApiQueryFrom(PageQuery)
  async repositories(
    @Actor() actor: ActorRef | null,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!this.config.anonymousBrowsing) requireUser(actor);
    const request = pageRequest(query);
    // The anonymous scope (public namespaces) for everyone: explore shows what is open, not what one may pull.
    const filter = await visibleRepositoriesFilter(this.views.read.store, null);
    if (request.search) filter['full_name'] = { $contains: request.search };
    const page = await this.views.read.page<D>('repositories', filter, request, REPOSITORY_SORT);
    setPageHeaders(req, res, page);
    return this.views.entities(page.items, actor);
  }
}
