import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { type ListQuery, toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import type { RepositoryEntity } from '@portcullis/contracts';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/** ExploreApi is GET /api/v1/explore/repositories: repositories of public namespaces. */
@Injectable({ providedIn: 'root' })
export class ExploreApi {
  private readonly http = inject(HttpClient);

  repositories(q: ListQuery): Observable<Paged<RepositoryEntity>> {
    return this.http
      .get<RepositoryEntity[]>('/api/v1/explore/repositories', {
        context: ownErrors(),
        params: toListParams(q),
        observe: 'response',
      })
      .pipe(map(toPaged));
  }
}
