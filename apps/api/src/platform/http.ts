import { createParamDecorator, Res, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ZodType } from 'zod';
import { PageQuery } from '@portcullis/contracts';
import type { Page, PageRequest, ReadSide } from './read-side';

/** parse validates input with a contracts schema; a ZodError becomes a 422 problem in ProblemFilter. */
export function parse<T>(schema: ZodType<T>, input: unknown): T {
  return schema.parse(input ?? {});
}

/** pageRequest reads Portus's paging query parameters. */
export function pageRequest(query: unknown): PageRequest {
  const q = PageQuery.parse(query ?? {});
  return {
    page: q.page,
    perPage: q.per_page,
    sortAttr: q.sort_attr,
    sortOrder: q.sort_order,
    all: q.all,
    search: q.search,
  };
}

/** Reply injects the response for its headers and status; Nest still sends what the handler returns. */
export const Reply = (): ParameterDecorator => Res({ passthrough: true });

/**
 * Paging is a list endpoint's prelude and epilogue: Portus's paging query in, its page headers out. It parses
 * nothing until asked, so a handler still refuses (401, 403, 404) before it judges the query (422).
 */
export class Paging {
  constructor(
    private readonly req: Request,
    private readonly res: Response,
  ) {}

  /** query is the raw query, for a list whose own schema extends PageQuery. */
  get query(): unknown {
    return this.req.query;
  }

  /** request reads page, per_page, sort_attr, sort_order, all and search; `sort` is the order when none is asked. */
  request(sort: { sortAttr?: string; sortOrder?: string } = {}): PageRequest {
    const r = pageRequest(this.req.query);
    return { ...r, sortAttr: r.sortAttr ?? sort.sortAttr, sortOrder: r.sortOrder ?? sort.sortOrder };
  }

  /** send writes the page's headers and returns its rows. */
  send<T>(page: Page<T>): T[] {
    setPageHeaders(this.req, this.res, page);
    return page.items;
  }
}

/** Paged injects the request's Paging. */
export const Paged = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const http = ctx.switchToHttp();
  return new Paging(http.getRequest<Request>(), http.getResponse<Response>());
});

/** setPageHeaders writes Portus's X-Page/X-Per-Page/X-Total/X-Total-Pages/X-Next-Page/X-Prev-Page and Link. */
export function setPageHeaders(req: Request, res: Response, page: Page<unknown>): void {
  const totalPages = Math.max(1, Math.ceil(page.total / page.perPage));
  res.setHeader('X-Page', String(page.page));
  // NOTE: Portus sent the configured per_page here (a quirk); we send the one actually used.
  res.setHeader('X-Per-Page', String(page.perPage));
  res.setHeader('X-Total', String(page.total));
  res.setHeader('X-Total-Pages', String(totalPages));
  res.setHeader('X-Next-Page', page.page < totalPages ? String(page.page + 1) : '');
  res.setHeader('X-Prev-Page', page.page > 1 ? String(page.page - 1) : '');
  const link = (p: number, rel: string) => {
    const url = new URL(req.originalUrl, 'http://x');
    url.searchParams.set('page', String(p));
    url.searchParams.set('per_page', String(page.perPage));
    return `<${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const links = [link(1, 'first')];
  if (page.page > 1) links.push(link(page.page - 1, 'prev'));
  if (page.page < totalPages) links.push(link(page.page + 1, 'next'));
  links.push(link(totalPages, 'last'));
  res.setHeader('Link', links.join(', '));
}

/** POSITION_HEADER carries the global position of a command's last event (read-your-writes). */
export const POSITION_HEADER = 'Portcullis-Position';

/** setPosition tells the client which position its change is at, so later queries can wait for it. */
export function setPosition(res: Response, position: bigint | null | undefined): void {
  if (position !== null && position !== undefined) res.setHeader(POSITION_HEADER, position.toString());
}

/**
 * settle is how every command answer ends: wait until the read models show the change (read-your-writes),
 * then tell the client the position, so the order of the two can't drift between controllers.
 */
export async function settle(read: ReadSide, res: Response, position: bigint | null | undefined): Promise<void> {
  await read.waitFor(position);
  setPosition(res, position);
}
