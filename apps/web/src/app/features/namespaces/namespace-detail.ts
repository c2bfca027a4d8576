import { Component, computed, inject, linkedSignal, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatTableModule } from '@angular/material/table';
import { MatTabsModule } from '@angular/material/tabs';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { catchError, map, type Observable, of } from 'rxjs';
import { DEFAULT_PAGE_SIZE, type ListQuery } from '../../core/list-query';
import { ListPaginator } from '../../core/list-paginator';
import { ListStatus } from '../../core/list-status';
import { problemMessage } from '../../core/problem';
import { resourceError } from '../../core/resource-error';
import { WebhookList } from '../webhooks/webhook-list';
import { NamespacesApi } from './namespaces-api';
import { VISIBILITY_OPTIONS, visibilityMeaning } from './visibility';
import type { UpdateNamespaceChange, Visibility } from '@portcullis/contracts';

/** NamespaceDetail is /namespaces/:id: repositories, team, visibility, description and webhooks tabs. */
@Component({
  selector: 'app-namespace-detail',
  imports: [
    FormsModule,
    ListPaginator,
    ListStatus,
    MatAutocompleteModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatTableModule,
    MatTabsModule,
    RouterLink,
    WebhookList,
  ],
  templateUrl: './namespace-detail.html',
  styleUrl: './namespace-detail.scss',
})
export class NamespaceDetail {
  private readonly api = inject(NamespacesApi);
  protected readonly id = toSignal(inject(ActivatedRoute).paramMap.pipe(map((p) => Number(p.get('id')))), {
    initialValue: NaN,
  });
  protected readonly namespace = rxResource({
    params: () => (Number.isInteger(this.id()) ? this.id() : undefined),
    stream: ({ params }) => this.api.get(params),
  });
  protected readonly loadError = computed(() => resourceError(this.namespace.error()));
  /** shownVisibility is what the switch shows: the saved visibility, or the one being saved. */
  protected readonly shownVisibility = linkedSignal(() => this.namespace.value()?.visibility);
  protected readonly visibilities = VISIBILITY_OPTIONS;
  protected readonly meaning = visibilityMeaning;
  protected readonly repoColumns = ['name', 'tags', 'description'];
  protected readonly repoSearch = signal('');
  protected readonly repoQuery = signal<ListQuery>({ page: 1, perPage: DEFAULT_PAGE_SIZE, search: '' });
  protected readonly repositories = rxResource({
    params: () => (Number.isInteger(this.id()) ? { id: this.id(), q: this.repoQuery() } : undefined),
    stream: ({ params }) => this.api.repositories(params.id, params.q),
  });

  /** The edit fields start from the loaded namespace and are edited locally until saved. */
  protected readonly teamDraft = signal<string | null>(null);
  protected readonly descriptionDraft = signal<string | null>(null);
  protected readonly teamOptions = rxResource({
    params: () => this.teamDraft() ?? '',
    stream: ({ params }) => this.api.teams(params).pipe(catchError(() => of([]))),
  });
  protected readonly saving = signal<keyof UpdateNamespaceChange | null>(null);
  protected readonly failure = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);

  protected searchRepositories(): void {
    this.repoQuery.update((q) => ({ ...q, page: 1, search: this.repoSearch() }));
  }

  protected changeVisibility(visibility: Visibility): void {
    const saved = this.namespace.value()?.visibility;
    this.shownVisibility.set(visibility);
    // A refused change puts the switch back on the visibility the namespace still has.
    this.save({ visibility }, `Visibility is now ${visibility}.`, undefined, () => this.shownVisibility.set(saved));
  }

  protected changeTeam(): void {
    const team = this.teamDraft()?.trim();
    if (team) this.save({ team }, `The namespace now belongs to team ${team}.`, () => this.teamDraft.set(null));
  }

  protected saveDescription(): void {
    const description = this.descriptionDraft();
    if (description !== null) this.save({ description }, 'Description saved.', () => this.descriptionDraft.set(null));
  }

  private save(change: UpdateNamespaceChange, done: string, after?: () => void, refused?: () => void): void {
    const ns = this.namespace.value();
    if (!ns || this.saving()) return;
    this.saving.set(Object.keys(change)[0] as keyof UpdateNamespaceChange);
    this.failure.set(null);
    this.notice.set(null);
    const request: Observable<unknown> = this.api.update(ns.id, change);
    request.subscribe({
      next: () => {
        this.saving.set(null);
        this.notice.set(done);
        after?.();
        this.namespace.reload();
      },
      error: (e) => {
        this.saving.set(null);
        this.failure.set(problemMessage(e));
        refused?.();
      },
    });
  }
}
