import { Component, computed, input } from '@angular/core';
import type { Resource } from '@angular/core';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { resourceError } from './resource-error';

/**
 * ListStatus shows what a list's resource is doing above the list: a progress bar while it loads and, when it
 * failed, "Could not load <what>: <the API's message>" as an alert. The list itself stays in the page.
 */
@Component({
  selector: 'app-list-status',
  imports: [MatProgressBarModule],
  template: `
    @if (resource().isLoading()) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'Loading ' + what()" />
    }
    @if (resource().error()) {
      <p class="error" role="alert" [attr.data-testid]="errorTestId()">Could not load {{ what() }}: {{ message() }}</p>
    }
  `,
  // The pages' .error colour (features/namespaces/_page.scss) cannot reach in here.
  styles: `
    :host {
      display: contents;
    }
    .error {
      color: var(--mat-sys-error, #b3261e);
    }
  `,
})
export class ListStatus {
  /** resource is the list's resource (rxResource). */
  readonly resource = input.required<Resource<unknown>>();
  /** what the list holds, lower case and plural: "namespaces", "public repositories". */
  readonly what = input.required<string>();
  /** errorTestId is the error paragraph's data-testid, if it has one. */
  readonly errorTestId = input<string | null>(null);
  protected readonly message = computed(() => resourceError(this.resource().error()));
}
