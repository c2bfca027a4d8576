import { HttpClient, HttpContext } from '@angular/common/http';
import { Component, inject, input, signal, viewChild } from '@angular/core';
import {
  type AbstractControl,
  FormBuilder,
  FormGroupDirective,
  ReactiveFormsModule,
  type ValidationErrors,
  Validators,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import { problemMessage } from '../../core/problem';

/** samePasswords checks that the confirmation repeats the new password. */
function samePasswords(group: AbstractControl): ValidationErrors | null {
  const v = group.value as { password: string; confirm: string };
  return v.password === v.confirm ? null : { mismatch: true };
}

/** PasswordForm changes the user's password (PUT /users/:id with `password`). */
@Component({
  selector: 'app-password-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule],
  template: `
    <form class="form-column" [formGroup]="form" (ngSubmit)="change()" data-testid="password-form">
      <mat-form-field appearance="outline">
        <mat-label>New password</mat-label>
        <input
          matInput
          type="password"
          formControlName="password"
          autocomplete="new-password"
          required
          data-testid="password-new"
        />
        <mat-hint>8 to 128 characters.</mat-hint>
        @if (form.controls.password.invalid) {
          <mat-error>Use 8 to 128 characters.</mat-error>
        }
      </mat-form-field>
      <mat-form-field appearance="outline">
        <mat-label>Repeat the new password</mat-label>
        <input
          matInput
          type="password"
          formControlName="confirm"
          autocomplete="new-password"
          required
          data-testid="password-confirm"
        />
      </mat-form-field>
      @if (form.hasError('mismatch') && form.controls.confirm.touched) {
        <p class="state-error" role="alert">The two passwords differ.</p>
      }
      <div role="status" aria-live="polite">
        @if (changed()) {
          <p class="state-ok" data-testid="password-changed">Password changed.</p>
        }
      </div>
      @if (error(); as message) {
        <p class="state-error" role="alert" data-testid="password-error">{{ message }}</p>
      }
      <div class="form-actions">
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="password-submit">Change password</button>
      </div>
    </form>
  `,
})
export class PasswordForm {
  private readonly http = inject(HttpClient);
  /** userId is whose password changes (the signed-in user). */
  readonly userId = input.required<number>();
  protected readonly form = inject(FormBuilder).nonNullable.group(
    {
      password: ['', [Validators.required, Validators.minLength(8), Validators.maxLength(128)]],
      confirm: ['', Validators.required],
    },
    { validators: samePasswords },
  );
  // resetForm (not reset) also clears 'submitted', so the emptied fields do not show errors.
  private readonly formDirective = viewChild.required(FormGroupDirective);
  protected readonly busy = signal(false);
  protected readonly changed = signal(false);
  protected readonly error = signal<string | null>(null);

  /** change sends the new password; the form is cleared so it never lingers on screen. */
  protected async change(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.changed.set(false);
    this.error.set(null);
    try {
      await firstValueFrom(
        this.http.put(
          `/api/v1/users/${this.userId()}`,
          { user: { password: this.form.getRawValue().password } },
          { context: new HttpContext().set(SHOWS_OWN_ERRORS, true) },
        ),
      );
      this.formDirective().resetForm();
      this.changed.set(true);
    } catch (e) {
      this.error.set(problemMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
