import { HttpParams } from '@angular/common/http';
import type { Signal, WritableSignal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { debounceTime } from 'rxjs';

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

/** SEARCH_DEBOUNCE_MS is how long typing pauses before a list searches on the server. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * searchAsYouType applies `text` to a list's query once typing pauses (Enter applies it at once). Call it
 * in an injection context; it stops with the component.
 */
export function searchAsYouType(text: Signal<string>, query: WritableSignal<ListQuery>): void {
  toObservable(text)
    .pipe(debounceTime(SEARCH_DEBOUNCE_MS), takeUntilDestroyed())
    .subscribe((search) => {
      if (search.trim() !== query().search.trim()) query.update((q) => ({ ...q, page: 1, search }));
    });
}
