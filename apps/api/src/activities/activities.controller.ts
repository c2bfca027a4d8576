import { once } from 'node:events';
import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActivityEntity } from '@portcullis/contracts';
import type { Request, Response } from 'express';
import type { ActorRef } from '@portcullis/domain';
import {
  activityVisibilityFor,
  countActivities,
  exportActivities,
  listActivities,
  type ActivityDoc,
  type ActivityFilters,
} from '@portcullis/read-models';
import type { Doc } from '@portcullis/persistence';
import { APP_CONFIG, type AppConfig } from '@portcullis/config';
import { ReadSide } from '../platform/read-side';
import { Clock } from '../platform/clock';
import { Actor, requireUser } from '../platform/actor';
import { parse, setPageHeaders } from '../platform/http';
import { ApiCsv, ApiList, ApiQueryFrom } from '../platform/openapi';
import { ActivitiesQuery } from './activities.query';
import { csvRow } from './csv';

type D = Doc & Record<string, unknown>;

/**
 * EXPORT_LIMIT caps one CSV export (`rows`); a capped export says so in Portcullis-Export-Capped. An object so
 * the e2e spec can lower it for one request instead of recording 100,000 activities.
 */
export const EXPORT_LIMIT = { rows: 100_000 };

/** CSV_COLUMNS are the export's columns, in order. */
export const CSV_COLUMNS = [
  'id',
  'created_at',
  'owner',
  'key',
  'trackable_type',
  'trackable_id',
  'namespace',
  'parameters',
] as const;

/**
 * ActivitiesController is the audit log (Portus's /admin/activities and the dashboard feed): admins see every
 * activity; other users their own, their teams' and those of the namespaces they can see (activityVisibilityFor).
 */
@ApiTags('activities')
@ApiHeader({ name: 'Portus-Auth', description: '<username>:<application token>', required: false })
@Controller('v1')
export class ActivitiesController {
  constructor(
    private readonly read: ReadSide,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Get('activities')
  @ApiOperation({
    summary:
      'Activities visible to you, newest first; filters owner (username), key (or prefix), namespace_id, from, to',
  })
  @ApiList(ActivityEntity, 'One page of activities')
  @ApiQueryFrom(ActivitiesQuery)
  async list(
    @Actor() actor: ActorRef | null,
    @Query() query: unknown,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ActivityEntity[]> {
    const me = requireUser(actor);
    const q = parse(ActivitiesQuery, query);
    const perPage = q.per_page ?? this.config.perPage;
    const page = q.page ?? 1;
    const result = await listActivities(this.read.store, await this.filters(me, q), {
      page,
      perPage,
      sortAttr: q.sort_attr,
      sortOrder: q.sort_order,
    });
    setPageHeaders(req, res, { ...result, page, perPage });
    return this.entities(result.items);
  }

  @Get('activities.csv')
  @ApiOperation({
    summary: `The same activities as CSV (attachment, newest first, at most ${EXPORT_LIMIT.rows} rows; formula cells neutralised)`,
  })
  @ApiCsv('The activities, one per row, with a header row')
  @ApiQueryFrom(ActivitiesQuery)
  async csv(@Actor() actor: ActorRef | null, @Query() query: unknown, @Res() res: Response): Promise<void> {
    const me = requireUser(actor);
    const filters = await this.filters(me, parse(ActivitiesQuery, query));
    const total = await countActivities(this.read.store, filters);
    const stamp = this.clock.iso().replace(/[-:]|\.\d+/g, '');
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', `attachment; filename="activities-${stamp}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Total', String(total));
    const max = EXPORT_LIMIT.rows;
    if (total > max) res.setHeader('Portcullis-Export-Capped', String(max));
    res.write(csvRow(CSV_COLUMNS));
    try {
      for await (const batch of exportActivities(this.read.store, filters, max)) {
        if (res.destroyed) return;
        const lines = (await this.entities(batch)).map((a) =>
          csvRow([
            a.id,
            a.created_at,
            a.owner?.username ?? null,
            a.key,
            a.trackable_type,
            a.trackable_id,
            a.namespace?.name ?? null,
            JSON.stringify(a.parameters),
          ]),
        );
        // Respect back-pressure: a slow client holds the export, not the process's memory; a client that
        // hangs up ends it (the loop sees `destroyed`).
        if (!res.write(lines.join(''))) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      }
      res.end();
    } catch (e) {
      // The status line has gone: a cut-off body is the only way left to say the export failed.
      res.destroy(e as Error);
    }
  }

  /** filters turns the query into read-model filters, with the caller's visibility. */
  private async filters(me: ActorRef, q: ActivitiesQuery): Promise<ActivityFilters> {
    const filters: ActivityFilters = {
      keyPrefix: q.key,
      namespaceId: q.namespace_id,
      from: q.from,
      to: q.to,
      includeHidden: me.admin,
      visibleTo: me.admin ? undefined : await activityVisibilityFor(this.read.store, me.id),
    };
    if (q.owner !== undefined) {
      // A current user by id (so activities before a rename count); otherwise the name as recorded
      // (deleted users, and registry users Portcullis never knew).
      const user = await this.read.userByUsername(q.owner);
      if (user) filters.ownerId = user['id'] as number;
      else filters.ownerName = q.owner;
    }
    return filters;
  }

  private async entities(rows: ActivityDoc[]): Promise<ActivityEntity[]> {
    const ids = [...new Set(rows.map((a) => a.namespace_id).filter((id): id is number => id !== null))];
    const namespaces = ids.length ? await this.read.store.collection<D>('namespaces').find({ id: { $in: ids } }) : [];
    const names = new Map(namespaces.map((n) => [n['id'] as number, n['name'] as string]));
    return rows.map((a) => ({
      id: a.id,
      key: a.key,
      owner: a.owner_name === null ? null : { id: a.owner_id, username: a.owner_name },
      trackable_type: a.trackable_type,
      trackable_id: a.trackable_id,
      recipient_type: a.recipient_type,
      recipient_id: a.recipient_id,
      namespace:
        a.namespace_id === null
          ? null
          : {
              id: a.namespace_id,
              // A deleted namespace keeps the name the activity recorded.
              name: names.get(a.namespace_id) ?? (a.parameters['namespace_name'] as string | undefined) ?? null,
            },
      team_id: a.team_id,
      parameters: a.parameters,
      created_at: a.created_at,
    }));
  }
}
