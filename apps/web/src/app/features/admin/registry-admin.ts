import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { remote } from '../../core/remote';
import { RegistryConfigDownload } from '../setup/registry-config-download';
import { RegistryForm } from '../setup/registry-form';
import type { RegistryEntity } from '@portcullis/contracts';

/** RegistryAdmin lists the registries (Portus allows one) and edits them; each offers its generated config. */
@Component({
  selector: 'app-registry-admin',
  imports: [MatButtonModule, MatCardModule, RouterLink, RegistryConfigDownload, RegistryForm],
  template: `
    @if (registries.loading() && !registries.value()) {
      <p class="state-loading" role="status">Loading the registry…</p>
    } @else if (registries.error(); as message) {
      <p class="state-error" role="alert">{{ message }}</p>
      <button mat-stroked-button type="button" (click)="registries.reload()">Try again</button>
    } @else {
      @for (r of registries.value(); track r.id) {
        <mat-card appearance="outlined" class="registry-card" [attr.data-testid]="'registry-row-' + r.id">
          <mat-card-header>
            <mat-card-title
              ><h2>{{ r.name }}</h2></mat-card-title
            >
            <mat-card-subtitle>
              <code>{{ r.hostname }}</code>
              @if (r.external_hostname) {
                · pulled as <code>{{ r.external_hostname }}</code>
              }
              · {{ r.use_ssl ? 'TLS' : 'plain HTTP' }}
            </mat-card-subtitle>
          </mat-card-header>
          <mat-card-content>
            @if (editing() === r.id) {
              <app-registry-form [registry]="r" (saved)="saved()" />
              <button mat-button type="button" (click)="editing.set(null)">Cancel</button>
            } @else {
              <div class="form-actions">
                <button mat-stroked-button type="button" (click)="editing.set(r.id)" data-testid="registry-edit">
                  Edit
                </button>
              </div>
              <app-registry-config-download [registryId]="r.id" />
            }
            @if (savedNote() === r.id) {
              <p class="state-ok" role="status" data-testid="registry-saved">Saved.</p>
            }
          </mat-card-content>
        </mat-card>
      } @empty {
        <p class="state-empty">No registry is set up yet.</p>
        <a mat-flat-button routerLink="/setup/registry">Set up the registry</a>
      }
    }
  `,
  styles: `
    .registry-card {
      margin-bottom: 1rem;
    }
  `,
})
export class RegistryAdmin {
  private readonly http = inject(HttpClient);
  protected readonly registries = remote(() => firstValueFrom(this.http.get<RegistryEntity[]>('/api/v1/registries')));
  protected readonly editing = signal<number | null>(null);
  protected readonly savedNote = signal<number | null>(null);

  /** saved closes the form and shows the registry as the API now has it. */
  protected async saved(): Promise<void> {
    const id = this.editing();
    this.editing.set(null);
    await this.registries.reload();
    this.savedNote.set(id);
  }
}
