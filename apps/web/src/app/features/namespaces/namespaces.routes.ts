import type { Routes } from '@angular/router';

/** The namespaces area: list, create, and one namespace with its tabs. */
const routes: Routes = [
  { path: '', title: 'Namespaces', loadComponent: () => import('./namespace-list').then((m) => m.NamespaceList) },
  {
    path: 'new',
    title: 'New namespace',
    loadComponent: () => import('./namespace-create').then((m) => m.NamespaceCreate),
  },
  { path: ':id', title: 'Namespace', loadComponent: () => import('./namespace-detail').then((m) => m.NamespaceDetail) },
];
export default routes;
