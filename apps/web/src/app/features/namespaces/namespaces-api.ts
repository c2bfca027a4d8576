import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { type ListQuery, toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import type { Repository } from '../repositories/repositories-api';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/** Visibility says who may pull from a namespace. */
export type Visibility = 'private' | 'protected' | 'public';

/** Namespace is the API's namespace entity. */
export interface Namespace {
  id: number;
  name: string;
  created_at: string;
  updated_at: string;
  description: string;
  team: { id: number; name: string; hidden: boolean } | null;
  visibility: Visibility;
  global: boolean;
}

/** NamespaceChange is the body of PUT /namespaces/:id (only the fields that change). */
export interface NamespaceChange {
  name?: string;
  description?: string;
  team?: string;
  visibility?: Visibility;
}

/** NameCheck is GET /namespaces/validate's answer. */
export interface NameCheck {
  valid: boolean;
  messages: Record<string, string[]>;
}

/** TeamOption is a team offered in a team picker. */
export interface TeamOption {
  id: number;
  name: string;
}

/** NamespacesApi is the namespace screens' view of /api/v1/namespaces. */
@Injectable({ providedIn: 'root' })
export class NamespacesApi {
  private readonly http = inject(HttpClient);

  list(q: ListQuery): Observable<Paged<Namespace>> {
    return this.http
      .get<Namespace[]>('/api/v1/namespaces', { context: ownErrors(), params: toListParams(q), observe: 'response' })
      .pipe(map(toPaged));
  }

  get(id: number): Observable<Namespace> {
    return this.http.get<Namespace>(`/api/v1/namespaces/${id}`, { context: ownErrors() });
  }

  create(body: { name: string; team: string; description?: string }): Observable<Namespace> {
    return this.http.post<Namespace>('/api/v1/namespaces', body, { context: ownErrors() });
  }

  update(id: number, change: NamespaceChange): Observable<Namespace> {
    return this.http.put<Namespace>(`/api/v1/namespaces/${id}`, { namespace: change }, { context: ownErrors() });
  }

  validate(name: string): Observable<NameCheck> {
    return this.http.get<NameCheck>('/api/v1/namespaces/validate', { context: ownErrors(), params: { name } });
  }

  /** repositories asks the API for one page of the namespace's repositories (by name; search on the name). */
  repositories(id: number, q: ListQuery): Observable<Paged<Repository>> {
    return this.http
      .get<Repository[]>(`/api/v1/namespaces/${id}/repositories`, {
        context: ownErrors(),
        params: toListParams(q),
        observe: 'response',
      })
      .pipe(map(toPaged));
  }

  /** teams offers teams whose name contains `search` (for the team pickers). */
  teams(search: string): Observable<TeamOption[]> {
    return this.http.get<TeamOption[]>('/api/v1/teams', {
      context: ownErrors(),
      params: toListParams({ page: 1, perPage: 20, search }),
    });
  }
}
