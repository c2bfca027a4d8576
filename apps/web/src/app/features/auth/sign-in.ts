import { Component, inject, input, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router, RouterLink } from '@angular/router';
import { problemMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { SetupState } from '../../core/setup-state';

/** safeReturnUrl keeps only in-app paths, so a crafted link cannot send a user elsewhere after sign-in. */
export function safeReturnUrl(url: string | undefined | null): string {
  return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : '/';
}

/** SignIn is the login form (local accounts, or the LDAP directory when the API has it configured). */
@Component({
  selector: 'app-sign-in',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule, RouterLink],
  templateUrl: './sign-in.html',
  styles: `
    mat-card {
      max-width: 26rem;
      margin: 2rem auto;
    }
  `,
})
export class SignIn {
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  protected readonly setup = inject(SetupState);
  /** returnUrl comes from the query string (component input binding). */
  readonly returnUrl = input<string>();
  protected readonly form = inject(FormBuilder).nonNullable.group({
    username: ['', Validators.required],
    password: ['', Validators.required],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    void this.setup.load();
  }

  /** signIn posts the credentials and goes where the user was headed. */
  protected async signIn(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    const { username, password } = this.form.getRawValue();
    try {
      await this.session.signIn(username, password);
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (e) {
      this.error.set(problemMessage(e));
      this.form.controls.password.reset();
    } finally {
      this.busy.set(false);
    }
  }
}
