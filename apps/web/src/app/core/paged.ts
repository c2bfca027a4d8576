import type { HttpResponse } from '@angular/common/http';

/** Paged is one page of a list endpoint plus the API's paging headers (X-Total, X-Page, X-Per-Page). */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  perPage: number;
}

/** toPaged reads a list response observed with `{ observe: 'response' }`. */
export function toPaged<T>(res: HttpResponse<T[]>): Paged<T> {
  const items = res.body ?? [];
  const num = (name: string, fallback: number) => {
    const v = Number(res.headers.get(name));
    return Number.isFinite(v) && res.headers.has(name) ? v : fallback;
  };
  return {
    items,
    total: num('X-Total', items.length),
    page: num('X-Page', 1),
    perPage: num('X-Per-Page', items.length),
  };
}
