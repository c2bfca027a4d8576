import { Component, input, model, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { type ListQuery, searchAsYouType } from './list-query';

/**
 * ListSearch is the search box above a server-paged list: typing searches once it pauses, Enter or the button
 * at once, and either goes back to page 1. Extra filters (a checkbox) are projected after the button.
 */
@Component({
  selector: 'app-list-search',
  imports: [FormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <form class="search" role="search" (ngSubmit)="apply()">
      <mat-form-field appearance="outline" subscriptSizing="dynamic">
        <mat-label>{{ label() }}</mat-label>
        <input
          matInput
          name="search"
          [attr.data-testid]="testId()"
          [ngModel]="text()"
          (ngModelChange)="text.set($event)"
        />
      </mat-form-field>
      <button mat-stroked-button type="submit">Search</button>
      <ng-content />
    </form>
  `,
  // The same layout as the pages' .search rule (features/namespaces/_page.scss), which cannot reach in here.
  styles: `
    :host {
      display: block;
    }
    .search {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px;

      mat-form-field {
        flex: 1 1 240px;
      }
    }
  `,
})
export class ListSearch {
  /** label is the field's visible label, e.g. "Search namespaces". */
  readonly label = input.required<string>();
  /** testId is the input's data-testid. */
  readonly testId = input.required<string>();
  /** query is the list's query; a search sets its search and goes back to page 1. */
  readonly query = model.required<ListQuery>();
  protected readonly text = signal('');

  constructor() {
    searchAsYouType(this.text, this.query);
  }

  protected apply(): void {
    this.query.update((q) => ({ ...q, page: 1, search: this.text() }));
  }
}
