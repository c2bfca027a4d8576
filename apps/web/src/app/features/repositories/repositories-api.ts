import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { type ListQuery, toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import type { RepositoryEntity, TagDeletionEntity, TagEntity } from '@portcullis/contracts';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/** RepositoriesApi is the repository screens' view of /api/v1/repositories and /api/v1/tags. */
@Injectable({ providedIn: 'root' })
export class RepositoriesApi {
  private readonly http = inject(HttpClient);

  list(q: ListQuery, starred = false): Observable<Paged<RepositoryEntity>> {
    const params = toListParams(q, starred ? { starred: 'true' } : {});
    return this.http
      .get<RepositoryEntity[]>('/api/v1/repositories', { context: ownErrors(), params, observe: 'response' })
      .pipe(map(toPaged));
  }

  get(id: number): Observable<RepositoryEntity> {
    return this.http.get<RepositoryEntity>(`/api/v1/repositories/${id}`, { context: ownErrors() });
  }

  updateDescription(id: number, description: string): Observable<RepositoryEntity> {
    return this.http.put<RepositoryEntity>(
      `/api/v1/repositories/${id}`,
      { repository: { description } },
      { context: ownErrors() },
    );
  }

  /** groupedTags answers the tags grouped by digest, newest group first. */
  groupedTags(id: number): Observable<TagEntity[][]> {
    return this.http.get<TagEntity[][]>(`/api/v1/repositories/${id}/tags/grouped`, { context: ownErrors() });
  }

  deleteTag(tagId: number): Observable<TagDeletionEntity> {
    return this.http.delete<TagDeletionEntity>(`/api/v1/tags/${tagId}`, { context: ownErrors() });
  }

  star(id: number): Observable<unknown> {
    return this.http.put(`/api/v1/repositories/${id}/star`, null, { context: ownErrors() });
  }

  unstar(id: number): Observable<unknown> {
    return this.http.delete(`/api/v1/repositories/${id}/star`, { context: ownErrors() });
  }
}
