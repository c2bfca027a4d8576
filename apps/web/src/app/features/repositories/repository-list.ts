import { Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { DEFAULT_PAGE_SIZE, type ListQuery, PAGE_SIZE_OPTIONS, searchAsYouType } from '../../core/list-query';
import { resourceError } from '../../core/resource-error';
import { RepositoriesApi } from './repositories-api';

/** RepositoryList is /repositories: every repository I can see, searched and paged on the server. */
@Component({
  selector: 'app-repository-list',
  imports: [
    FormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatTableModule,
    RouterLink,
  ],
  templateUrl: './repository-list.html',
  styleUrl: './repository-list.scss',
})
export class RepositoryList {
  private readonly api = inject(RepositoriesApi);
  protected readonly pageSizes = PAGE_SIZE_OPTIONS;
  protected readonly columns = ['name', 'tags', 'stars', 'description'];
  protected readonly searchText = signal('');
  protected readonly starredOnly = signal(false);
  protected readonly query = signal<ListQuery>({ page: 1, perPage: DEFAULT_PAGE_SIZE, search: '' });
  protected readonly repositories = rxResource({
    params: () => ({ q: this.query(), starred: this.starredOnly() }),
    stream: ({ params }) => this.api.list(params.q, params.starred),
  });
  protected readonly errorText = () => resourceError(this.repositories.error());

  constructor() {
    searchAsYouType(this.searchText, this.query);
  }

  protected applySearch(): void {
    this.query.update((q) => ({ ...q, page: 1, search: this.searchText() }));
  }

  protected showStarred(on: boolean): void {
    this.starredOnly.set(on);
    this.query.update((q) => ({ ...q, page: 1 }));
  }

  protected changePage(e: PageEvent): void {
    this.query.update((q) => ({ ...q, page: e.pageIndex + 1, perPage: e.pageSize }));
  }
}
