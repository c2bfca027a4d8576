import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/** SearchType is what the search can look for. */
export type SearchType = 'repositories' | 'namespaces' | 'teams';

/** SearchHit is one result visible to the caller. */
export interface SearchHit {
  type: string;
  id: number;
  name: string;
  full_name: string;
  description: string | null;
}

/** SearchApi is GET /api/v1/search. */
@Injectable({ providedIn: 'root' })
export class SearchApi {
  private readonly http = inject(HttpClient);

  search(q: string, type: SearchType, page: number, perPage: number): Observable<Paged<SearchHit>> {
    const params = toListParams({ page, perPage, search: '' }, { q, type });
    return this.http
      .get<SearchHit[]>('/api/v1/search', { context: ownErrors(), params, observe: 'response' })
      .pipe(map(toPaged));
  }
}
