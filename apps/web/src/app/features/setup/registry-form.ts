import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { Component, effect, inject, input, output, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import { problemMessage } from '../../core/problem';
import type { FieldValidation, RegistryEntity } from '@portcullis/contracts';

const quiet = () => ({ context: new HttpContext().set(SHOWS_OWN_ERRORS, true) });

/**
 * RegistryForm creates the registry or edits it: name, hostname, external hostname and TLS, with a "check"
 * that asks the API whether the registry answers there (and shows why not).
 */
@Component({
  selector: 'app-registry-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatInputModule],
  templateUrl: './registry-form.html',
})
export class RegistryForm {
  private readonly http = inject(HttpClient);
  /** registry is the one being edited; without it the form creates one. */
  readonly registry = input<RegistryEntity | null>(null);
  /** saved emits the registry as the API answered after a create or update. */
  readonly saved = output<RegistryEntity>();
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', Validators.required],
    hostname: ['', Validators.required],
    external_hostname: [''],
    use_ssl: [false],
    force: [false],
  });
  protected readonly checking = signal(false);
  protected readonly saving = signal(false);
  protected readonly check = signal<FieldValidation | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      const r = this.registry();
      if (r) {
        this.form.reset({
          name: r.name,
          hostname: r.hostname,
          external_hostname: r.external_hostname ?? '',
          use_ssl: r.use_ssl,
          force: false,
        });
      }
    });
  }

  /** checkRegistry asks /registries/validate and shows the answer (the reachability reason included). */
  protected async checkRegistry(): Promise<void> {
    const v = this.form.getRawValue();
    let params = new HttpParams().set('name', v.name).set('hostname', v.hostname).set('use_ssl', String(v.use_ssl));
    if (v.external_hostname.trim()) params = params.set('external_hostname', v.external_hostname.trim());
    this.checking.set(true);
    this.error.set(null);
    this.check.set(null);
    try {
      this.check.set(
        await firstValueFrom(this.http.get<FieldValidation>('/api/v1/registries/validate', { params, ...quiet() })),
      );
    } catch (e) {
      this.error.set(problemMessage(e));
    } finally {
      this.checking.set(false);
    }
  }

  /** save creates the registry (POST) or updates it (PUT), then emits what the API answered. */
  protected async save(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const v = this.form.getRawValue();
    const registry = {
      name: v.name.trim(),
      hostname: v.hostname.trim(),
      use_ssl: v.use_ssl,
      external_hostname: v.external_hostname.trim() || null,
    };
    const body = v.force ? { registry, force: true } : { registry };
    const current = this.registry();
    this.saving.set(true);
    this.error.set(null);
    try {
      const answer = current
        ? await firstValueFrom(this.http.put<RegistryEntity>(`/api/v1/registries/${current.id}`, body, quiet()))
        : await firstValueFrom(this.http.post<RegistryEntity>('/api/v1/registries', body, quiet()));
      this.saved.emit(answer);
    } catch (e) {
      this.error.set(problemMessage(e));
    } finally {
      this.saving.set(false);
    }
  }

  /** checkMessages flattens the validate answer into "field: message" lines. */
  protected checkMessages(check: FieldValidation): string[] {
    return Object.entries(check.messages).flatMap(([field, msgs]) =>
      msgs.map((m) => `${field.replace('_', ' ')}: ${m}`),
    );
  }
}
