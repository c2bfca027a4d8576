import type { Routes } from '@angular/router';

/** The repositories area: the searchable list and one repository with its tags. */
const routes: Routes = [
  { path: '', title: 'Repositories', loadComponent: () => import('./repository-list').then((m) => m.RepositoryList) },
  {
    path: ':id',
    title: 'Repository',
    loadComponent: () => import('./repository-detail').then((m) => m.RepositoryDetail),
  },
];
export default routes;
