import { DatePipe } from '@angular/common';
import { HttpClient, HttpParams } from '@angular/common/http';
import { Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatListModule } from '@angular/material/list';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { type Activity, activityAction, activitySubject } from '../../core/activity';
import { remote } from '../../core/remote';
import { Session } from '../../core/session';

/** DashboardNamespace is the part of a namespace the dashboard lists. */
interface DashboardNamespace {
  id: number;
  name: string;
  visibility: string;
  team: { id: number; name: string } | null;
}

/** DashboardRepository is the part of a repository the dashboard lists. */
interface DashboardRepository {
  id: number;
  full_name: string;
  tags_count: number;
  stars?: number;
}

/** Dashboard shows what happened recently (visible to me), my namespaces and my starred repositories. */
@Component({
  selector: 'app-dashboard',
  imports: [DatePipe, MatButtonModule, MatCardModule, MatListModule, RouterLink],
  templateUrl: './dashboard.html',
})
export class Dashboard {
  private readonly http = inject(HttpClient);
  protected readonly session = inject(Session);
  protected readonly activityAction = activityAction;
  protected readonly activitySubject = activitySubject;
  protected readonly activities = remote(() =>
    firstValueFrom(
      this.http.get<Activity[]>('/api/v1/activities', { params: new HttpParams().set('page', 1).set('per_page', 15) }),
    ),
  );
  protected readonly namespaces = remote(() =>
    firstValueFrom(
      this.http.get<DashboardNamespace[]>('/api/v1/namespaces', {
        params: new HttpParams().set('page', 1).set('per_page', 10),
      }),
    ),
  );
  protected readonly starred = remote(() =>
    firstValueFrom(
      this.http.get<DashboardRepository[]>('/api/v1/repositories', {
        params: new HttpParams().set('starred', true).set('page', 1).set('per_page', 10),
      }),
    ),
  );
}
