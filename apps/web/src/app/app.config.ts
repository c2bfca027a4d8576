import type { ApplicationConfig } from '@angular/core';
import { inject, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { appRoutes } from './app.routes';
import { csrfInterceptor } from './core/csrf-interceptor';
import { errorInterceptor } from './core/error-interceptor';
import { Session } from './core/session';

/** appConfig wires the interceptors (CSRF first, then the one error interceptor) and restores the session. */
export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideHttpClient(withInterceptors([csrfInterceptor, errorInterceptor])),
    provideRouter(appRoutes, withComponentInputBinding()),
    // The guards decide on the session, so the first navigation waits for GET /sessions/current.
    provideAppInitializer(() => inject(Session).restore()),
  ],
};
