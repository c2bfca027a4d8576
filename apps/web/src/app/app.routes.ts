import type { Route } from '@angular/router';

/**
 * appRoutes: one lazy route per feature area (`features/<area>/<area>.routes.ts`, default export), so the
 * first paint loads only the shell. Guards live in `core/`.
 */
export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', loadChildren: () => import('./features/dashboard/dashboard.routes') },
  { path: 'setup', loadChildren: () => import('./features/setup/setup.routes') },
  { path: 'sign-in', loadChildren: () => import('./features/auth/auth.routes') },
  { path: 'profile', loadChildren: () => import('./features/profile/profile.routes') },
  { path: 'admin', loadChildren: () => import('./features/admin/admin.routes') },
  { path: 'namespaces', loadChildren: () => import('./features/namespaces/namespaces.routes') },
  { path: 'repositories', loadChildren: () => import('./features/repositories/repositories.routes') },
  { path: 'teams', loadChildren: () => import('./features/teams/teams.routes') },
  { path: 'webhooks', loadChildren: () => import('./features/webhooks/webhooks.routes') },
  { path: 'search', loadChildren: () => import('./features/search/search.routes') },
  { path: 'explore', loadChildren: () => import('./features/explore/explore.routes') },
];
