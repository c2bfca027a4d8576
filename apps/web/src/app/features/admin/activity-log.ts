import { DatePipe } from '@angular/common';
import { HttpClient, HttpParams } from '@angular/common/http';
import { Component, computed, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import { ACTIVITY_KEYS, type Activity, activityAction, activitySubject } from '../../core/activity';
import { type Paged, toPaged } from '../../core/paged';
import { problemMessage } from '../../core/problem';
import { remote } from '../../core/remote';

/** ActivityFilters are the admin's filters, as the form holds them. */
export interface ActivityFilters {
  owner: string;
  key: string;
  namespace_id: string;
  from: string;
  to: string;
}

/** activityFilterParams turns the form into the API's query (datetime-local values become ISO 8601 instants). */
export function activityFilterParams(f: ActivityFilters): HttpParams {
  let params = new HttpParams();
  if (f.owner.trim()) params = params.set('owner', f.owner.trim());
  if (f.key) params = params.set('key', f.key);
  if (f.namespace_id) params = params.set('namespace_id', f.namespace_id);
  for (const bound of ['from', 'to'] as const) {
    const at = f[bound] ? new Date(f[bound]) : null;
    if (at && !Number.isNaN(at.getTime())) params = params.set(bound, at.toISOString());
  }
  return params;
}

/** ActivityLog is the admin audit trail: filter by who, what, namespace and time; page; export the same as CSV. */
@Component({
  selector: 'app-activity-log',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatSelectModule,
    MatTableModule,
  ],
  templateUrl: './activity-log.html',
  styles: `
    .filters mat-form-field {
      width: 13rem;
    }
    @media (max-width: 599.98px) {
      .filters mat-form-field {
        width: 100%;
      }
    }
    .when {
      white-space: nowrap;
    }
  `,
})
export class ActivityLog {
  private readonly http = inject(HttpClient);
  protected readonly keys = ACTIVITY_KEYS;
  protected readonly activityAction = activityAction;
  protected readonly activitySubject = activitySubject;
  protected readonly columns = ['created_at', 'owner', 'action', 'subject', 'namespace'];
  protected readonly form = inject(FormBuilder).nonNullable.group({
    owner: [''],
    key: [''],
    namespace_id: [''],
    from: [''],
    to: [''],
  });
  /** applied are the filters of the rows on screen (the CSV link exports exactly these). */
  protected readonly applied = signal<ActivityFilters>(this.form.getRawValue());
  protected readonly page = signal<Paged<Activity> | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal(25);
  protected readonly csvHref = computed(() => {
    const q = activityFilterParams(this.applied()).toString();
    return `/api/v1/activities.csv${q ? `?${q}` : ''}`;
  });
  protected readonly namespaces = remote(() =>
    firstValueFrom(
      this.http.get<Array<{ id: number; name: string }>>('/api/v1/namespaces', {
        params: new HttpParams().set('per_page', 100).set('sort_attr', 'name').set('sort_order', 'asc'),
      }),
    ),
  );
  private generation = 0;

  constructor() {
    void this.load();
  }

  /** applyFilters restarts at page one with the form's filters. */
  protected applyFilters(): void {
    this.applied.set(this.form.getRawValue());
    this.pageIndex.set(0);
    void this.load();
  }

  /** clearFilters shows everything again. */
  protected clearFilters(): void {
    this.form.reset();
    this.applyFilters();
  }

  /** changePage follows the paginator. */
  protected changePage(event: PageEvent): void {
    this.pageIndex.set(event.pageIndex);
    this.pageSize.set(event.pageSize);
    void this.load();
  }

  /** load fetches one page of activities for the applied filters (only the newest answer is shown). */
  protected async load(): Promise<void> {
    const mine = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    const params = activityFilterParams(this.applied())
      .set('page', this.pageIndex() + 1)
      .set('per_page', this.pageSize());
    try {
      const res = await firstValueFrom(
        this.http.get<Activity[]>('/api/v1/activities', { params, observe: 'response' }),
      );
      if (mine === this.generation) this.page.set(toPaged(res));
    } catch (e) {
      if (mine === this.generation) this.error.set(problemMessage(e));
    } finally {
      if (mine === this.generation) this.loading.set(false);
    }
  }
}
