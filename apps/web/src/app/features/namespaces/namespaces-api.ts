import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { type ListQuery, toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import type {
  CreateNamespaceBody,
  FieldValidation,
  NamespaceEntity,
  RepositoryEntity,
  TeamEntity,
  UpdateNamespaceChange,
} from '@portcullis/contracts';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/** NamespacesApi is the namespace screens' view of /api/v1/namespaces. */
@Injectable({ providedIn: 'root' })
export class NamespacesApi {
  private readonly http = inject(HttpClient);

  list(q: ListQuery): Observable<Paged<NamespaceEntity>> {
    return this.http
      .get<NamespaceEntity[]>('/api/v1/namespaces', {
        context: ownErrors(),
        params: toListParams(q),
        observe: 'response',
      })
      .pipe(map(toPaged));
  }

  get(id: number): Observable<NamespaceEntity> {
    return this.http.get<NamespaceEntity>(`/api/v1/namespaces/${id}`, { context: ownErrors() });
  }

  create(body: CreateNamespaceBody): Observable<NamespaceEntity> {
    return this.http.post<NamespaceEntity>('/api/v1/namespaces', body, { context: ownErrors() });
  }

  update(id: number, change: UpdateNamespaceChange): Observable<NamespaceEntity> {
    return this.http.put<NamespaceEntity>(`/api/v1/namespaces/${id}`, { namespace: change }, { context: ownErrors() });
  }

  validate(name: string): Observable<FieldValidation> {
    return this.http.get<FieldValidation>('/api/v1/namespaces/validate', { context: ownErrors(), params: { name } });
  }

  /** repositories asks the API for one page of the namespace's repositories (by name; search on the name). */
  repositories(id: number, q: ListQuery): Observable<Paged<RepositoryEntity>> {
    return this.http
      .get<RepositoryEntity[]>(`/api/v1/namespaces/${id}/repositories`, {
        context: ownErrors(),
        params: toListParams(q),
        observe: 'response',
      })
      .pipe(map(toPaged));
  }

  /** teams offers teams whose name contains `search` (for the team pickers). */
  teams(search: string): Observable<TeamEntity[]> {
    return this.http.get<TeamEntity[]>('/api/v1/teams', {
      context: ownErrors(),
      params: toListParams({ page: 1, perPage: 20, search }),
    });
  }
}
