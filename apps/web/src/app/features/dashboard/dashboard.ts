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
import type { NamespaceEntity, RepositoryEntity } from '@portcullis/contracts';

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
      this.http.get<NamespaceEntity[]>('/api/v1/namespaces', {
        params: new HttpParams().set('page', 1).set('per_page', 10),
      }),
    ),
  );
  protected readonly starred = remote(() =>
    firstValueFrom(
      this.http.get<RepositoryEntity[]>('/api/v1/repositories', {
        params: new HttpParams().set('starred', true).set('page', 1).set('per_page', 10),
      }),
    ),
  );
}
