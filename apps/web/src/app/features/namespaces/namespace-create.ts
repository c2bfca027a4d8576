import { Component, inject, signal } from '@angular/core';
import { rxResource, takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { Router, RouterLink } from '@angular/router';
import { catchError, debounceTime, distinctUntilChanged, of, switchMap } from 'rxjs';
import { problemMessage } from '../../core/problem';
import { NamespacesApi } from './namespaces-api';
import { VISIBILITY_OPTIONS } from './visibility';
import type { FieldValidation, Visibility } from '@portcullis/contracts';

/** NamespaceCreate is /namespaces/new: name (checked live), team, visibility and description. */
@Component({
  selector: 'app-namespace-create',
  imports: [
    FormsModule,
    MatAutocompleteModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    RouterLink,
  ],
  templateUrl: './namespace-create.html',
  styleUrl: './namespace-create.scss',
})
export class NamespaceCreate {
  private readonly api = inject(NamespacesApi);
  private readonly router = inject(Router);
  protected readonly visibilities = VISIBILITY_OPTIONS;
  protected readonly name = signal('');
  protected readonly team = signal('');
  protected readonly visibility = signal<Visibility>('private');
  protected readonly description = signal('');
  protected readonly saving = signal(false);
  protected readonly failure = signal<string | null>(null);
  /** nameCheck is the API's verdict on the name typed so far (null while blank or not yet checked). */
  protected readonly nameCheck = signal<FieldValidation | null>(null);
  protected readonly teams = rxResource({
    params: () => this.team(),
    stream: ({ params }) => this.api.teams(params).pipe(catchError(() => of([]))),
  });

  constructor() {
    toObservable(this.name)
      .pipe(
        debounceTime(250),
        distinctUntilChanged(),
        switchMap((name) => (name.trim() ? this.api.validate(name.trim()).pipe(catchError(() => of(null))) : of(null))),
        takeUntilDestroyed(),
      )
      .subscribe((check) => this.nameCheck.set(check));
  }

  /** nameMessages makes one sentence of the API's reasons, whether or not each already names the field. */
  protected nameMessages(check: FieldValidation): string {
    const text = Object.values(check.messages)
      .flat()
      .map((m) => (/^name\b/i.test(m) ? m : `name ${m}`))
      .join('; ');
    return text.charAt(0).toUpperCase() + text.slice(1).replace(/\.?$/, '.');
  }

  protected createNamespace(): void {
    if (this.saving()) return;
    this.saving.set(true);
    this.failure.set(null);
    const body = { name: this.name().trim(), team: this.team().trim(), description: this.description() };
    this.api
      .create(body)
      .pipe(
        // The API creates every namespace private; a different choice is a second, separate change.
        switchMap((ns) =>
          this.visibility() === 'private' ? of(ns) : this.api.update(ns.id, { visibility: this.visibility() }),
        ),
      )
      .subscribe({
        next: (ns) => void this.router.navigate(['/namespaces', ns.id]),
        error: (e) => {
          this.failure.set(problemMessage(e));
          this.saving.set(false);
        },
      });
  }
}
