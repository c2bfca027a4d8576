import { Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { DEFAULT_PAGE_SIZE, type ListQuery, PAGE_SIZE_OPTIONS, searchAsYouType } from '../../core/list-query';
import { resourceError } from '../../core/resource-error';
import { NamespacesApi } from './namespaces-api';
import { visibilityMeaning } from './visibility';

/** NamespaceList is /namespaces: the namespaces I can see, searched and paged on the server. */
@Component({
  selector: 'app-namespace-list',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MatTableModule,
    RouterLink,
  ],
  templateUrl: './namespace-list.html',
  styleUrl: './namespace-list.scss',
})
export class NamespaceList {
  private readonly api = inject(NamespacesApi);
  protected readonly pageSizes = PAGE_SIZE_OPTIONS;
  protected readonly columns = ['name', 'team', 'visibility', 'description'];
  protected readonly searchText = signal('');
  protected readonly query = signal<ListQuery>({ page: 1, perPage: DEFAULT_PAGE_SIZE, search: '' });
  protected readonly namespaces = rxResource({
    params: () => this.query(),
    stream: ({ params }) => this.api.list(params),
  });
  protected readonly errorText = () => resourceError(this.namespaces.error());
  protected readonly meaning = visibilityMeaning;

  constructor() {
    searchAsYouType(this.searchText, this.query);
  }

  protected applySearch(): void {
    this.query.update((q) => ({ ...q, page: 1, search: this.searchText() }));
  }

  protected changePage(e: PageEvent): void {
    this.query.update((q) => ({ ...q, page: e.pageIndex + 1, perPage: e.pageSize }));
  }
}
