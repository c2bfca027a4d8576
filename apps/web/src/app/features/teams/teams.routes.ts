import type { Routes } from '@angular/router';

/** The teams area: the list with its create form, and one team with members and namespaces. */
const routes: Routes = [
  { path: '', title: 'Teams', loadComponent: () => import('./team-list').then((m) => m.TeamList) },
  { path: ':id', title: 'Team', loadComponent: () => import('./team-detail').then((m) => m.TeamDetail) },
];
export default routes;
