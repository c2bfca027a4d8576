import { Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { DEFAULT_PAGE_SIZE, type ListQuery } from '../../core/list-query';
import { ListPaginator } from '../../core/list-paginator';
import { ListStatus } from '../../core/list-status';
import { ListSearch } from '../../core/list-search';
import { RepositoriesApi } from './repositories-api';

/** RepositoryList is /repositories: every repository I can see, searched and paged on the server. */
@Component({
  selector: 'app-repository-list',
  imports: [FormsModule, ListPaginator, ListSearch, ListStatus, MatCheckboxModule, MatTableModule, RouterLink],
  templateUrl: './repository-list.html',
  styleUrl: './repository-list.scss',
})
export class RepositoryList {
  private readonly api = inject(RepositoriesApi);
  protected readonly columns = ['name', 'tags', 'stars', 'description'];
  protected readonly starredOnly = signal(false);
  protected readonly query = signal<ListQuery>({ page: 1, perPage: DEFAULT_PAGE_SIZE, search: '' });
  protected readonly repositories = rxResource({
    params: () => ({ q: this.query(), starred: this.starredOnly() }),
    stream: ({ params }) => this.api.list(params.q, params.starred),
  });

  protected showStarred(on: boolean): void {
    this.starredOnly.set(on);
    this.query.update((q) => ({ ...q, page: 1 }));
  }
}
