import { HttpParams } from '@angular/common/http';

/** ListQuery is what every paged list screen asks the API for (Portus's page, per_page, search). */
export interface ListQuery {
  page: number;
  perPage: number;
  search: string;
}

/** DEFAULT_PAGE_SIZE matches Portus's per_page default. */
export const DEFAULT_PAGE_SIZE = 15;

/** PAGE_SIZE_OPTIONS are the page sizes the paginators offer. */
export const PAGE_SIZE_OPTIONS = [15, 25, 50, 100];

/** toListParams turns a ListQuery into query parameters; a blank search is left out, not sent empty. */
export function toListParams(q: ListQuery, extra: Record<string, string> = {}): HttpParams {
  let params = new HttpParams().set('page', q.page).set('per_page', q.perPage);
  const search = q.search.trim();
  if (search) params = params.set('search', search);
  for (const [key, value] of Object.entries(extra)) params = params.set(key, value);
  return params;
}
