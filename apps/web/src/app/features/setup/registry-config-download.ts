import { HttpClient, HttpContext } from '@angular/common/http';
import { Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { firstValueFrom } from 'rxjs';
import { saveAsFile } from '../../core/download';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import { problemMessage } from '../../core/problem';
import type { RegistryConfigEntity } from '@portcullis/contracts';

/** RegistryConfigDownload fetches the generated registry config and saves config.yml (and the cert bundle). */
@Component({
  selector: 'app-registry-config-download',
  imports: [MatButtonModule],
  template: `
    <div class="form-actions">
      <button
        mat-flat-button
        type="button"
        (click)="download('config.yml')"
        [disabled]="busy()"
        data-testid="download-config"
      >
        Download registry config
      </button>
      <button
        mat-stroked-button
        type="button"
        (click)="download('portcullis-bundle.crt')"
        [disabled]="busy()"
        data-testid="download-bundle"
      >
        Download token certificate
      </button>
    </div>
    @if (run(); as command) {
      <p>
        Put both files next to each other and run <code>{{ command }}</code>.
      </p>
    }
    @if (error(); as message) {
      <p class="state-error" role="alert" data-testid="download-error">{{ message }}</p>
    }
  `,
})
export class RegistryConfigDownload {
  private readonly http = inject(HttpClient);
  /** registryId is the registry whose config is generated. */
  readonly registryId = input.required<number>();
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly run = signal<string | null>(null);

  /** download asks the API for the files and saves the one named. */
  protected async download(file: keyof RegistryConfigEntity['files']): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      const config = await firstValueFrom(
        this.http.get<RegistryConfigEntity>(`/api/v1/registries/${this.registryId()}/config`, {
          context: new HttpContext().set(SHOWS_OWN_ERRORS, true),
        }),
      );
      const text = config.files[file];
      if (text === undefined) throw new Error(`The API did not send ${file}.`);
      saveAsFile(file, text, file.endsWith('.yml') ? 'application/yaml' : 'application/x-pem-file');
      this.run.set(config.run);
    } catch (e) {
      this.error.set(problemMessage(e));
    } finally {
      this.busy.set(false);
    }
  }
}
