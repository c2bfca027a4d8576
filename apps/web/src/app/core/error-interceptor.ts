import { HttpContextToken, HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject, Injector } from '@angular/core';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { problemMessage } from './problem';
import { Session } from './session';

/**
 * SHOWS_OWN_ERRORS marks a request whose caller renders the error itself (a form's inline message), so the
 * interceptor does not also show a snackbar. 401 handling still applies unless the URL is a session call.
 */
export const SHOWS_OWN_ERRORS = new HttpContextToken<boolean>(() => false);

/** signInUrlFor is the sign-in route that returns to `url` afterwards (no loop back to sign-in itself). */
export function signInUrlFor(router: Router, url: string): ReturnType<Router['createUrlTree']> {
  const returnUrl = url.startsWith('/sign-in') || url.startsWith('/setup') ? undefined : url;
  return router.createUrlTree(['/sign-in'], { queryParams: returnUrl && returnUrl !== '/' ? { returnUrl } : {} });
}

/**
 * errorInterceptor is the one place the API's errors reach the user: a 401 means the session ended, so the
 * session is cleared and the browser goes to sign-in (with a return URL); anything else is shown as one
 * sentence (problemMessage) in a snackbar. The error is always rethrown so the caller can restore its state.
 */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  // MatSnackBar and Router are resolved lazily: the interceptor also serves the app initialiser.
  const injector = inject(Injector);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse) {
        // The sessions endpoints answer 401 as their normal "no / wrong credentials" reply.
        const sessionCall = req.url.includes('/api/v1/sessions');
        if (error.status === 401 && !sessionCall) {
          injector.get(Session).clear();
          const router = injector.get(Router);
          void router.navigateByUrl(signInUrlFor(router, router.url));
        } else if (error.status !== 401 && !req.context.get(SHOWS_OWN_ERRORS)) {
          injector.get(MatSnackBar).open(problemMessage(error), 'Dismiss', { duration: 8000 });
        }
      }
      return throwError(() => error);
    }),
  );
};
