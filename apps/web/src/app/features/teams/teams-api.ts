import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { type ListQuery, toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import type { Namespace } from '../namespaces/namespaces-api';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/** TeamRole is a member's role: viewers pull, contributors also push, owners also manage. */
export type TeamRole = 'viewer' | 'contributor' | 'owner';

/** Team is the API's team entity. */
export interface Team {
  id: number;
  name: string;
  description: string;
  hidden: boolean;
  created_at: string;
  updated_at: string;
}

/** TeamMember is one member; `id` is the member id used in member paths. */
export interface TeamMember {
  id: number;
  team_id: number;
  user_id: number;
  role: TeamRole;
  /** username is the member's login name: the stable key of a member row. */
  username: string;
  display_name: string;
  admin: boolean;
  current: boolean;
}

/** UserMatch is one answer of the user typeahead (no emails). */
export interface UserMatch {
  id: number;
  username: string;
  display_name: string | null;
}

/** TeamsApi is the team screens' view of /api/v1/teams and the user typeahead. */
@Injectable({ providedIn: 'root' })
export class TeamsApi {
  private readonly http = inject(HttpClient);

  list(q: ListQuery): Observable<Paged<Team>> {
    return this.http
      .get<Team[]>('/api/v1/teams', { context: ownErrors(), params: toListParams(q), observe: 'response' })
      .pipe(map(toPaged));
  }

  get(id: number): Observable<Team> {
    return this.http.get<Team>(`/api/v1/teams/${id}`, { context: ownErrors() });
  }

  create(name: string, description: string): Observable<Team> {
    return this.http.post<Team>('/api/v1/teams', { name, description }, { context: ownErrors() });
  }

  members(id: number): Observable<TeamMember[]> {
    return this.http.get<TeamMember[]>(`/api/v1/teams/${id}/members`, { context: ownErrors() });
  }

  namespaces(id: number): Observable<Namespace[]> {
    return this.http.get<Namespace[]>(`/api/v1/teams/${id}/namespaces`, { context: ownErrors() });
  }

  addMember(id: number, username: string, role: TeamRole): Observable<TeamMember> {
    return this.http.post<TeamMember>(
      `/api/v1/teams/${id}/members`,
      { user: username, role },
      { context: ownErrors() },
    );
  }

  changeRole(id: number, memberId: number, role: TeamRole): Observable<TeamMember> {
    return this.http.put<TeamMember>(`/api/v1/teams/${id}/members/${memberId}`, { role }, { context: ownErrors() });
  }

  removeMember(id: number, memberId: number): Observable<unknown> {
    return this.http.delete(`/api/v1/teams/${id}/members/${memberId}`, { context: ownErrors() });
  }

  lookupUsers(prefix: string): Observable<UserMatch[]> {
    return this.http.get<UserMatch[]>('/api/v1/users/lookup', { context: ownErrors(), params: { q: prefix } });
  }
}
