import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { type ListQuery, toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import type { NamespaceEntity, TeamEntity, TeamMemberEntity, TeamRole, UserLookupEntity } from '@portcullis/contracts';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/** TeamsApi is the team screens' view of /api/v1/teams and the user typeahead. */
@Injectable({ providedIn: 'root' })
export class TeamsApi {
  private readonly http = inject(HttpClient);

  list(q: ListQuery): Observable<Paged<TeamEntity>> {
    return this.http
      .get<TeamEntity[]>('/api/v1/teams', { context: ownErrors(), params: toListParams(q), observe: 'response' })
      .pipe(map(toPaged));
  }

  get(id: number): Observable<TeamEntity> {
    return this.http.get<TeamEntity>(`/api/v1/teams/${id}`, { context: ownErrors() });
  }

  create(name: string, description: string): Observable<TeamEntity> {
    return this.http.post<TeamEntity>('/api/v1/teams', { name, description }, { context: ownErrors() });
  }

  members(id: number): Observable<TeamMemberEntity[]> {
    return this.http.get<TeamMemberEntity[]>(`/api/v1/teams/${id}/members`, { context: ownErrors() });
  }

  namespaces(id: number): Observable<NamespaceEntity[]> {
    return this.http.get<NamespaceEntity[]>(`/api/v1/teams/${id}/namespaces`, { context: ownErrors() });
  }

  addMember(id: number, username: string, role: TeamRole): Observable<TeamMemberEntity> {
    return this.http.post<TeamMemberEntity>(
      `/api/v1/teams/${id}/members`,
      { user: username, role },
      { context: ownErrors() },
    );
  }

  changeRole(id: number, memberId: number, role: TeamRole): Observable<TeamMemberEntity> {
    return this.http.put<TeamMemberEntity>(
      `/api/v1/teams/${id}/members/${memberId}`,
      { role },
      { context: ownErrors() },
    );
  }

  removeMember(id: number, memberId: number): Observable<unknown> {
    return this.http.delete(`/api/v1/teams/${id}/members/${memberId}`, { context: ownErrors() });
  }

  lookupUsers(prefix: string): Observable<UserLookupEntity[]> {
    return this.http.get<UserLookupEntity[]>('/api/v1/users/lookup', { context: ownErrors(), params: { q: prefix } });
  }
}
