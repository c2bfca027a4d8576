import { Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { DEFAULT_PAGE_SIZE, type ListQuery } from '../../core/list-query';
import { ListPaginator } from '../../core/list-paginator';
import { ListStatus } from '../../core/list-status';
import { ListSearch } from '../../core/list-search';
import { NamespacesApi } from './namespaces-api';
import { visibilityMeaning } from './visibility';

/** NamespaceList is /namespaces: the namespaces I can see, searched and paged on the server. */
@Component({
  selector: 'app-namespace-list',
  imports: [ListPaginator, ListSearch, ListStatus, MatButtonModule, MatTableModule, RouterLink],
  templateUrl: './namespace-list.html',
  styleUrl: './namespace-list.scss',
})
export class NamespaceList {
  private readonly api = inject(NamespacesApi);
  protected readonly columns = ['name', 'team', 'visibility', 'description'];
  protected readonly query = signal<ListQuery>({ page: 1, perPage: DEFAULT_PAGE_SIZE, search: '' });
  protected readonly namespaces = rxResource({
    params: () => this.query(),
    stream: ({ params }) => this.api.list(params),
  });
  protected readonly meaning = visibilityMeaning;
}
