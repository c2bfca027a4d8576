import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { PageQuery, SearchHit, SearchType } from '@portcullis/contracts';
import type { ActorRef } from '@portcullis/domain';
import { search, SEARCH_TYPES } from '@portcullis/read-models';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { ReadSide } from '../platform/read-side';
import { Actor, requireUser } from '../platform/actor';
import { parse, setPageHeaders } from '../platform/http';
import { ApiList, ApiQueryFrom } from '../platform/openapi';

const SearchQuery = PageQuery.pick({ page: true, per_page: true })
  .extend({
    q: z.string().trim().min(1).max(255).describe('text the name contains, case-insensitive'),
    type: SearchType.optional().describe('omit: all'),
  })
  .strict();

/**
 * SearchController is GET /api/v1/search: repositories, namespaces and teams whose name contains `q`, each
 * under the same visibility as its own list. Anonymous callers may search (public namespaces and their
 * repositories only) when anonymous_browsing.enabled is on.
 */
@ApiTags('search')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1/search')
export class SearchController {
  constructor(
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Search repositories, namespaces and teams you can see, by name (substring)' })
  @ApiList(SearchHit, 'One page of results')
  @ApiQueryFrom(SearchQuery)
  async search(
    @Actor() actor: ActorRef | null,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SearchHit[]> {
    if (!this.config.anonymousBrowsing) requireUser(actor);
    const q = parse(SearchQuery, query);
    const page = q.page ?? 1;
    const perPage = q.per_page ?? this.config.perPage;
    const result = await search(this.read.store, actor, q.q, q.type ? [q.type] : SEARCH_TYPES, { page, perPage });
    setPageHeaders(req, res, { ...result, page, perPage });
    return result.items;
  }
}
