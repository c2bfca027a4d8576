import { HttpClient, HttpContext } from '@angular/common/http';
import { Component, effect, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import { problemMessage } from '../../core/problem';
import { type CurrentUser, Session } from '../../core/session';

/** AccountForm edits the user's display name and email (PUT /users/:id) and shows the saved values. */
@Component({
  selector: 'app-account-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <form class="form-column" [formGroup]="form" (ngSubmit)="save()" data-testid="account-form">
      <mat-form-field appearance="outline">
        <mat-label>Display name</mat-label>
        <input matInput formControlName="display_name" autocomplete="name" data-testid="account-display-name" />
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Email</mat-label>
        <input
          matInput
          type="email"
          formControlName="email"
          autocomplete="email"
          required
          data-testid="account-email"
        />
        @if (form.controls.email.invalid) {
          <mat-error>Enter a valid email address.</mat-error>
        }
      </mat-form-field>
      <div role="status" aria-live="polite">
        @if (saved()) {
          <p class="state-ok" data-testid="account-saved">Saved.</p>
        }
      </div>
      @if (error(); as message) {
        <p class="state-error" role="alert" data-testid="account-error">{{ message }}</p>
      }
      <div class="form-actions">
        <button mat-flat-button type="submit" [disabled]="busy() || form.pristine" data-testid="account-submit">
          Save
        </button>
      </div>
    </form>
  `,
})
export class AccountForm {
  private readonly http = inject(HttpClient);
  private readonly session = inject(Session);
  /** user is the signed-in user whose details are edited. */
  readonly user = input.required<CurrentUser>();
  protected readonly form = inject(FormBuilder).nonNullable.group({
    display_name: [''],
    email: ['', [Validators.required, Validators.email]],
  });
  protected readonly busy = signal(false);
  protected readonly saved = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      const u = this.user();
      this.form.reset({ display_name: u.display_name ?? '', email: u.email ?? '' });
    });
  }

  /** save sends only what changed and takes the API's answer as the new session user. */
  protected async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    this.busy.set(true);
    this.saved.set(false);
    this.error.set(null);
    try {
      const updated = await firstValueFrom(
        this.http.put<CurrentUser>(
          `/api/v1/users/${this.user().id}`,
          { user: { display_name: v.display_name.trim() || null, email: v.email.trim() } },
          { context: new HttpContext().set(SHOWS_OWN_ERRORS, true) },
        ),
      );
      this.session.user.set(updated);
      this.saved.set(true);
    } catch (e) {
      this.error.set(problemMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
