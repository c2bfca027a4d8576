import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { type ListQuery, toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/** Platform is one platform of a multi-platform image index. */
export interface Platform {
  os: string;
  architecture: string;
  variant: string | null;
  digest: string;
}

/** Repository is the API's repository entity. */
export interface Repository {
  id: number;
  name: string;
  full_name: string;
  namespace: { id: number | null; name: string | null };
  registry_id: number;
  stars: number;
  starred?: boolean;
  tags_count: number;
  description: string;
  created_at: string;
  updated_at: string;
  destroyable: boolean;
  /** registry_hostname is the registry's external (else internal) hostname: the host of pull commands. */
  registry_hostname: string;
}

/** Tag is the API's tag entity: one tag name pointing at one manifest digest. */
export interface Tag {
  id: number;
  name: string;
  repository_id: number;
  author: { id: number | null; name: string };
  digest: string;
  image_id: string;
  media_type: string;
  size: number | null;
  platforms: Platform[] | null;
  pushed_at: string;
  pulled_at: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * TagDeletion is the answer of DELETE /tags/:id: every digest removed with its tags, the names of all tags
 * removed, and whether the repository went too.
 */
export interface TagDeletion {
  digests: Array<{ digest: string; tags: string[] }>;
  tags: string[];
  repository_deleted: boolean;
}

/** RepositoriesApi is the repository screens' view of /api/v1/repositories and /api/v1/tags. */
@Injectable({ providedIn: 'root' })
export class RepositoriesApi {
  private readonly http = inject(HttpClient);

  list(q: ListQuery, starred = false): Observable<Paged<Repository>> {
    const params = toListParams(q, starred ? { starred: 'true' } : {});
    return this.http
      .get<Repository[]>('/api/v1/repositories', { context: ownErrors(), params, observe: 'response' })
      .pipe(map(toPaged));
  }

  get(id: number): Observable<Repository> {
    return this.http.get<Repository>(`/api/v1/repositories/${id}`, { context: ownErrors() });
  }

  updateDescription(id: number, description: string): Observable<Repository> {
    return this.http.put<Repository>(
      `/api/v1/repositories/${id}`,
      { repository: { description } },
      { context: ownErrors() },
    );
  }

  /** groupedTags answers the tags grouped by digest, newest group first. */
  groupedTags(id: number): Observable<Tag[][]> {
    return this.http.get<Tag[][]>(`/api/v1/repositories/${id}/tags/grouped`, { context: ownErrors() });
  }

  deleteTag(tagId: number): Observable<TagDeletion> {
    return this.http.delete<TagDeletion>(`/api/v1/tags/${tagId}`, { context: ownErrors() });
  }

  star(id: number): Observable<unknown> {
    return this.http.put(`/api/v1/repositories/${id}/star`, null, { context: ownErrors() });
  }

  unstar(id: number): Observable<unknown> {
    return this.http.delete(`/api/v1/repositories/${id}/star`, { context: ownErrors() });
  }
}
