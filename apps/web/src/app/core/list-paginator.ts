import { Component, input, model } from '@angular/core';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { type ListQuery, PAGE_SIZE_OPTIONS } from './list-query';

/** ListPaginator is the paginator under a server-paged list: it shows a ListQuery's page and moves it. */
@Component({
  selector: 'app-list-paginator',
  imports: [MatPaginatorModule],
  template: `
    <mat-paginator
      [length]="total()"
      [pageIndex]="query().page - 1"
      [pageSize]="query().perPage"
      [pageSizeOptions]="pageSizes"
      (page)="changePage($event)"
      [attr.aria-label]="label()"
    />
  `,
  styles: ':host { display: block; }',
})
export class ListPaginator {
  /** total is the list's length across all pages (the API's X-Total). */
  readonly total = input.required<number>();
  /** label names the paginator for screen readers, e.g. "Namespace pages". */
  readonly label = input.required<string>();
  /** query is the list's query; a page change sets its page and page size. */
  readonly query = model.required<ListQuery>();
  protected readonly pageSizes = PAGE_SIZE_OPTIONS;

  protected changePage(e: PageEvent): void {
    this.query.update((q) => ({ ...q, page: e.pageIndex + 1, perPage: e.pageSize }));
  }
}
