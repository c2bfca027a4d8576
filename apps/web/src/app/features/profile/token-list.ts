import { DatePipe } from '@angular/common';
import { HttpClient, HttpContext } from '@angular/common/http';
import { Component, effect, inject, input, signal, untracked, viewChild } from '@angular/core';
import { FormBuilder, FormGroupDirective, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import { confirmAction } from '../../core/confirm-dialog';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import { problemMessage } from '../../core/problem';
import { TokenDialog } from './token-dialog';
import type { ApplicationTokenEntity, NewApplicationTokenEntity } from '@portcullis/contracts';

/** TokenList lists a user's application tokens, creates one (shown once) and revokes one after a confirmation. */
@Component({
  selector: 'app-token-list',
  imports: [DatePipe, ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, MatTableModule],
  templateUrl: './token-list.html',
})
export class TokenList {
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  /** userId owns the tokens (the signed-in user, or a bot for an admin). */
  readonly userId = input.required<number>();
  protected readonly tokens = signal<ApplicationTokenEntity[] | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly createError = signal<string | null>(null);
  // resetForm (not reset) also clears 'submitted', so the emptied fields do not show errors.
  private readonly formDirective = viewChild.required(FormGroupDirective);
  protected readonly busy = signal(false);
  protected readonly columns = ['application', 'created_at', 'last_used_at', 'actions'];
  protected readonly form = inject(FormBuilder).nonNullable.group({ application: ['', Validators.required] });

  constructor() {
    effect(() => {
      this.userId();
      untracked(() => void this.load());
    });
  }

  /** load fetches the token list (again after every change). */
  protected async load(): Promise<void> {
    this.loading.set(true);
    this.loadError.set(null);
    try {
      this.tokens.set(
        await firstValueFrom(
          this.http.get<ApplicationTokenEntity[]>(`/api/v1/users/${this.userId()}/application_tokens`),
        ),
      );
    } catch (e) {
      this.loadError.set(problemMessage(e));
    } finally {
      this.loading.set(false);
    }
  }

  /** create makes a token, shows its secret once and refreshes the list. */
  protected async create(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.busy.set(true);
    this.createError.set(null);
    try {
      const token = await firstValueFrom(
        this.http.post<NewApplicationTokenEntity>(
          `/api/v1/users/${this.userId()}/application_tokens`,
          { application: this.form.getRawValue().application.trim() },
          { context: new HttpContext().set(SHOWS_OWN_ERRORS, true) },
        ),
      );
      this.formDirective().resetForm();
      this.dialog.open(TokenDialog, { data: token, disableClose: true, maxWidth: '36rem', width: '100%' });
      await this.load();
    } catch (e) {
      this.createError.set(problemMessage(e));
    } finally {
      this.busy.set(false);
    }
  }

  /** revoke deletes a token after the user confirmed; clients using it stop working at once. */
  protected async revoke(token: ApplicationTokenEntity): Promise<void> {
    const ok = await confirmAction(this.dialog, {
      title: `Revoke "${token.application}"?`,
      message: 'Anything that signs in with this token (docker login, scripts) stops working at once.',
      confirm: 'Revoke',
    });
    if (!ok) return;
    try {
      await firstValueFrom(this.http.delete(`/api/v1/users/application_tokens/${token.id}`));
    } catch {
      // The error interceptor has shown why; the list below is reloaded either way.
    }
    await this.load();
  }
}
