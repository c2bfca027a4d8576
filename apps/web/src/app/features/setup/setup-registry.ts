import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { problemMessage } from '../../core/problem';
import { SetupState } from '../../core/setup-state';
import { RegistryConfigDownload } from './registry-config-download';
import { RegistryForm } from './registry-form';
import type { RegistryEntity } from '@portcullis/contracts';

/** SetupRegistry is the second first-run step: describe the registry, check it, create it, get its config. */
@Component({
  selector: 'app-setup-registry',
  imports: [MatButtonModule, MatCardModule, RouterLink, RegistryConfigDownload, RegistryForm],
  templateUrl: './setup-registry.html',
  styles: `
    mat-card {
      max-width: 40rem;
      margin: 1rem auto;
    }
  `,
})
export class SetupRegistry {
  private readonly http = inject(HttpClient);
  private readonly setup = inject(SetupState);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  /** registry is the existing or just-created registry (null while there is none). */
  protected readonly registry = signal<RegistryEntity | null>(null);
  protected readonly justCreated = signal(false);

  constructor() {
    void this.loadRegistry();
  }

  /** loadRegistry shows the existing registry instead of the form when one is already set up. */
  protected async loadRegistry(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const list = await firstValueFrom(this.http.get<RegistryEntity[]>('/api/v1/registries'));
      this.registry.set(list[0] ?? null);
    } catch (e) {
      this.error.set(problemMessage(e));
    } finally {
      this.loading.set(false);
    }
  }

  /** created keeps the new registry and tells the guards the install is set up. */
  protected async created(registry: RegistryEntity): Promise<void> {
    this.registry.set(registry);
    this.justCreated.set(true);
    await this.setup.load(true);
  }
}
