import { HttpClient, HttpContext } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import { problemMessage } from '../../core/problem';
import type { UserEntity } from '@portcullis/contracts';

/** UserCreateDialog creates a user or a bot (POST /users); it closes with the new user. */
@Component({
  selector: 'app-user-create-dialog',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
  ],
  template: `
    <h2 mat-dialog-title>New user</h2>
    <form [formGroup]="form" (ngSubmit)="create()" data-testid="user-create-form">
      <mat-dialog-content class="form-column">
        <mat-form-field appearance="outline">
          <mat-label>Username</mat-label>
          <input matInput formControlName="username" required data-testid="user-create-username" />
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Email</mat-label>
          <input matInput type="email" formControlName="email" required data-testid="user-create-email" />
          @if (form.controls.email.invalid) {
            <mat-error>Enter a valid email address.</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Display name (optional)</mat-label>
          <input matInput formControlName="display_name" data-testid="user-create-display-name" />
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>Password</mat-label>
          <input
            matInput
            type="password"
            formControlName="password"
            autocomplete="new-password"
            required
            data-testid="user-create-password"
          />
          <mat-hint>8 to 128 characters.</mat-hint>
        </mat-form-field>
        <mat-checkbox formControlName="bot" data-testid="user-create-bot"
          >Bot (for CI: signs in with tokens only)</mat-checkbox
        >
        <mat-checkbox formControlName="admin" data-testid="user-create-admin">Administrator</mat-checkbox>
        @if (error(); as message) {
          <p class="state-error" role="alert" data-testid="user-create-error">{{ message }}</p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" mat-dialog-close>Cancel</button>
        <button mat-flat-button type="submit" [disabled]="busy()" data-testid="user-create-submit">Create</button>
      </mat-dialog-actions>
    </form>
  `,
})
export class UserCreateDialog {
  private readonly http = inject(HttpClient);
  private readonly ref = inject<MatDialogRef<UserCreateDialog, UserEntity>>(MatDialogRef);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    username: ['', Validators.required],
    email: ['', [Validators.required, Validators.email]],
    display_name: [''],
    password: ['', [Validators.required, Validators.minLength(8), Validators.maxLength(128)]],
    bot: [false],
    admin: [false],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  /** create posts the user; API refusals (name taken, bad email) are shown in the dialog. */
  protected async create(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const user = {
      username: v.username.trim(),
      email: v.email.trim(),
      password: v.password,
      bot: v.bot,
      admin: v.admin,
      ...(v.display_name.trim() ? { display_name: v.display_name.trim() } : {}),
    };
    this.busy.set(true);
    this.error.set(null);
    try {
      const created = await firstValueFrom(
        this.http.post<UserEntity>(
          '/api/v1/users',
          { user },
          { context: new HttpContext().set(SHOWS_OWN_ERRORS, true) },
        ),
      );
      this.ref.close(created);
    } catch (e) {
      this.error.set(problemMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
