import type { Route } from '@angular/router';
import { adminGuard, authGuard, guestGuard, setupGuard } from './core/guards';

/**
 * appRoutes: one lazy route per feature area (`features/<area>/<area>.routes.ts`, default export), so the
 * first paint loads only the shell. Guards live in `core/`: setupGuard sends a fresh install to its first-run
 * screens, authGuard/adminGuard to sign-in.
 */
export const appRoutes: Route[] = [
  {
    path: '',
    pathMatch: 'full',
    canActivate: [setupGuard, authGuard],
    loadChildren: () => import('./features/dashboard/dashboard.routes'),
  },
  { path: 'setup', loadChildren: () => import('./features/setup/setup.routes') },
  {
    path: 'sign-in',
    canActivate: [setupGuard, guestGuard],
    loadChildren: () => import('./features/auth/auth.routes'),
  },
  { path: 'sign-out', loadComponent: () => import('./features/auth/sign-out').then((m) => m.SignOut) },
  {
    path: 'profile',
    canActivate: [setupGuard, authGuard],
    loadChildren: () => import('./features/profile/profile.routes'),
  },
  {
    path: 'admin',
    canActivate: [setupGuard, adminGuard],
    loadChildren: () => import('./features/admin/admin.routes'),
  },
  {
    path: 'namespaces',
    canActivate: [setupGuard, authGuard],
    loadChildren: () => import('./features/namespaces/namespaces.routes'),
  },
  {
    path: 'repositories',
    canActivate: [setupGuard, authGuard],
    loadChildren: () => import('./features/repositories/repositories.routes'),
  },
  {
    path: 'teams',
    canActivate: [setupGuard, authGuard],
    loadChildren: () => import('./features/teams/teams.routes'),
  },
  {
    path: 'webhooks',
    canActivate: [setupGuard, authGuard],
    loadChildren: () => import('./features/webhooks/webhooks.routes'),
  },
  {
    path: 'search',
    canActivate: [setupGuard, authGuard],
    loadChildren: () => import('./features/search/search.routes'),
  },
  // Explore is for anonymous visitors too (the API refuses them when anonymous browsing is off).
  { path: 'explore', canActivate: [setupGuard], loadChildren: () => import('./features/explore/explore.routes') },
  {
    path: '**',
    loadComponent: () => import('./layout/not-found').then((m) => m.NotFound),
    title: 'Not found · Portcullis',
  },
];
