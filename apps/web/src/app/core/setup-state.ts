import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import type { SetupState as SetupInfo } from '@portcullis/contracts';
import { SHOWS_OWN_ERRORS } from './error-interceptor';

/** SetupInfo is GET /api/v1/meta/setup (the API's SetupState): what the first-run screens and sign-in need. */
export type { SetupInfo };

/** SetupState caches /meta/setup; once users and a registry exist the answer cannot go back, so it is kept. */
@Injectable({ providedIn: 'root' })
export class SetupState {
  private readonly http = inject(HttpClient);
  /** info is the last answer (null until asked, or when the API could not say). */
  readonly info = signal<SetupInfo | null>(null);

  /** load asks the API unless a complete set-up is already known; `force` always asks. */
  async load(force = false): Promise<SetupInfo | null> {
    const known = this.info();
    if (!force && known?.users && known.registry) return known;
    try {
      const info = await firstValueFrom(
        this.http.get<SetupInfo>('/api/v1/meta/setup', { context: new HttpContext().set(SHOWS_OWN_ERRORS, true) }),
      );
      this.info.set(info);
    } catch {
      // An API without the endpoint (or down) must not lock the UI: the screens show their own errors.
      this.info.set(null);
    }
    return this.info();
  }
}
