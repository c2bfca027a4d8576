import { inject } from '@angular/core';
import type { CanActivateFn } from '@angular/router';
import { Router } from '@angular/router';
import { signInUrlFor } from './error-interceptor';
import { Session } from './session';
import { SetupState } from './setup-state';

/** authGuard lets signed-in users through and sends everyone else to sign-in with a return URL. */
export const authGuard: CanActivateFn = (_route, state) => {
  const router = inject(Router);
  return inject(Session).signedIn() ? true : signInUrlFor(router, state.url);
};

/** adminGuard lets admins through; other signed-in users go to the dashboard, anonymous ones to sign-in. */
export const adminGuard: CanActivateFn = (_route, state) => {
  const session = inject(Session);
  const router = inject(Router);
  if (!session.signedIn()) return signInUrlFor(router, state.url);
  return session.isAdmin() ? true : router.parseUrl('/');
};

/**
 * setupGuard sends a fresh install to its first-run screens: no users yet → create the admin; no registry
 * and an admin signed in → set up the registry (as Portus sends an admin with no registry to registries/new).
 */
export const setupGuard: CanActivateFn = async () => {
  const router = inject(Router);
  const session = inject(Session);
  const info = await inject(SetupState).load();
  if (!info) return true;
  if (!info.users) return router.parseUrl('/setup/admin');
  if (!info.registry && session.isAdmin()) return router.parseUrl('/setup/registry');
  return true;
};

/** guestGuard keeps signed-in users away from the sign-in page. */
export const guestGuard: CanActivateFn = () => (inject(Session).signedIn() ? inject(Router).parseUrl('/') : true);
