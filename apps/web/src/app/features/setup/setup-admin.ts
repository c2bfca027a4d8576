import { HttpClient, HttpContext } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import { problemMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { SetupState } from '../../core/setup-state';

/** SetupAdmin is the first-run form: it creates the first admin (POST /users/bootstrap) and signs them in. */
@Component({
  selector: 'app-setup-admin',
  imports: [ReactiveFormsModule, MatButtonModule, MatCardModule, MatFormFieldModule, MatInputModule],
  templateUrl: './setup-admin.html',
  styles: `
    mat-card {
      max-width: 32rem;
      margin: 1rem auto;
    }
  `,
})
export class SetupAdmin {
  private readonly http = inject(HttpClient);
  private readonly session = inject(Session);
  private readonly setup = inject(SetupState);
  private readonly router = inject(Router);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    username: ['', Validators.required],
    email: ['', [Validators.required, Validators.email]],
    display_name: [''],
    password: ['', [Validators.required, Validators.minLength(8), Validators.maxLength(128)]],
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  /** createAdmin bootstraps the admin, signs in with the same credentials and moves on to the registry. */
  protected async createAdmin(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const user = {
      username: v.username.trim(),
      email: v.email.trim(),
      password: v.password,
      ...(v.display_name.trim() ? { display_name: v.display_name.trim() } : {}),
    };
    this.busy.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(
        this.http.post('/api/v1/users/bootstrap', { user }, { context: new HttpContext().set(SHOWS_OWN_ERRORS, true) }),
      );
      await this.session.signIn(user.username, user.password);
      await this.setup.load(true);
      await this.router.navigateByUrl('/setup/registry');
    } catch (e) {
      this.error.set(problemMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
