import { DatePipe } from '@angular/common';
import { HttpClient, HttpParams } from '@angular/common/http';
import { Component, computed, inject, signal } from '@angular/core';
import { FormBuilder, FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatSelectModule } from '@angular/material/select';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import { ACTIVITY_KEYS, type Activity, activityAction, activitySubject } from '../../core/activity';
import { type Paged, toPaged } from '../../core/paged';
import { problemMessage } from '../../core/problem';

/** NAMESPACE_SEARCH_DELAY_MS waits for a pause in typing before looking namespaces (or users) up. */
export const NAMESPACE_SEARCH_DELAY_MS = 250;

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

/** NamespaceChoice is a namespace offered by the namespace filter. */
interface NamespaceChoice {
  id: number;
  name: string;
}

/** UserChoice is a user suggested by the "who" filter. */
interface UserChoice {
  id: number;
  username: string;
  display_name: string | null;
}

/** ActivityLog is the admin audit trail: filter by who, what, namespace and time; page; export the same as CSV. */
@Component({
  selector: 'app-activity-log',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    MatAutocompleteModule,
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
  /** namespaceMatches are the namespaces whose name contains what was typed (asked of the API, 10 at most). */
  protected readonly namespaceMatches = signal<NamespaceChoice[]>([]);
  /** namespaceText is the namespace box: typed text, or the namespace picked from the suggestions. */
  protected readonly namespaceText = new FormControl<string | NamespaceChoice>('', { nonNullable: true });
  /** userMatches suggest usernames for "who" (free text still works: deleted users and registry actors count). */
  protected readonly userMatches = signal<UserChoice[]>([]);
  private userTimer: ReturnType<typeof setTimeout> | undefined;
  private namespaceTimer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor() {
    void this.load();
  }

  /** namespaceName shows a picked namespace by its name in the filter box. */
  protected readonly namespaceName = (ns: NamespaceChoice | string | null): string =>
    typeof ns === 'string' ? ns : (ns?.name ?? '');

  /**
   * searchNamespaces looks namespaces up on the server as the admin types (there may be thousands); typing
   * again drops the namespace picked before, so the filter never applies a name the box no longer shows.
   */
  protected searchNamespaces(text: string): void {
    this.form.controls.namespace_id.setValue('');
    clearTimeout(this.namespaceTimer);
    const q = text.trim();
    if (!q) {
      this.namespaceMatches.set([]);
      return;
    }
    this.namespaceTimer = setTimeout(async () => {
      try {
        const params = new HttpParams()
          .set('search', q)
          .set('per_page', 10)
          .set('sort_attr', 'name')
          .set('sort_order', 'asc');
        this.namespaceMatches.set(
          await firstValueFrom(this.http.get<NamespaceChoice[]>('/api/v1/namespaces', { params })),
        );
      } catch {
        this.namespaceMatches.set([]);
      }
    }, NAMESPACE_SEARCH_DELAY_MS);
  }

  /** searchUsers suggests usernames starting with what was typed (GET /users/lookup). */
  protected searchUsers(text: string): void {
    clearTimeout(this.userTimer);
    const q = text.trim();
    if (!q) {
      this.userMatches.set([]);
      return;
    }
    this.userTimer = setTimeout(async () => {
      try {
        const params = new HttpParams().set('q', q);
        this.userMatches.set(await firstValueFrom(this.http.get<UserChoice[]>('/api/v1/users/lookup', { params })));
      } catch {
        this.userMatches.set([]);
      }
    }, NAMESPACE_SEARCH_DELAY_MS);
  }

  /** pickNamespace filters by the namespace chosen from the suggestions. */
  protected pickNamespace(ns: NamespaceChoice): void {
    this.form.controls.namespace_id.setValue(String(ns.id));
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
    this.namespaceText.reset();
    this.namespaceMatches.set([]);
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
