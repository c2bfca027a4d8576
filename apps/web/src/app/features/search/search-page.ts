import { Component, computed, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { map } from 'rxjs';
import { resourceError } from '../../core/resource-error';
import { SearchApi } from './search-api';
import type { SearchHit, SearchType } from '@portcullis/contracts';

const PER_PAGE = 20;

/** TABS are the result kinds, in tab order, with where a hit links to. */
const TABS: ReadonlyArray<{ type: SearchType; label: string; route: string }> = [
  { type: 'repositories', label: 'Repositories', route: '/repositories' },
  { type: 'namespaces', label: 'Namespaces', route: '/namespaces' },
  { type: 'teams', label: 'Teams', route: '/teams' },
];

/** SearchPage is /search?q=: repositories, namespaces and teams matching the text, one tab per kind. */
@Component({
  selector: 'app-search-page',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatTabsModule,
    RouterLink,
  ],
  templateUrl: './search-page.html',
  styleUrl: './search-page.scss',
})
export class SearchPage {
  private readonly api = inject(SearchApi);
  private readonly router = inject(Router);
  protected readonly q = toSignal(inject(ActivatedRoute).queryParamMap.pipe(map((p) => (p.get('q') ?? '').trim())), {
    initialValue: '',
  });
  protected readonly draft = signal<string | null>(null);
  protected readonly perPage = PER_PAGE;
  protected readonly tabs = TABS.map((tab) => {
    const page = signal(1);
    const results = rxResource({
      params: () => (this.q() ? { q: this.q(), page: page() } : undefined),
      stream: ({ params }) => this.api.search(params.q, tab.type, params.page, PER_PAGE),
    });
    return { ...tab, page, results, error: computed(() => resourceError(results.error())) };
  });

  protected search(): void {
    const q = (this.draft() ?? this.q()).trim();
    this.tabs.forEach((t) => t.page.set(1));
    void this.router.navigate([], { queryParams: { q: q || null } });
  }

  protected changePage(tab: (typeof this.tabs)[number], e: PageEvent): void {
    tab.page.set(e.pageIndex + 1);
  }

  protected label(tab: (typeof this.tabs)[number]): string {
    return tab.results.hasValue() ? `${tab.label} (${tab.results.value().total})` : tab.label;
  }

  protected title(hit: SearchHit): string {
    return hit.full_name || hit.name;
  }
}
