import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';

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
    return this.http.get<SearchHit[]>('/api/v1/search', { params, observe: 'response' }).pipe(map(toPaged));
  }
}
