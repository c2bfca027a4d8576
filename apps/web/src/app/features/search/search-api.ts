import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import type { SearchHit, SearchType } from '@portcullis/contracts';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

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
