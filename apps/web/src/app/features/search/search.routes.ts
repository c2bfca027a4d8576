import type { Routes } from '@angular/router';

/** The search area: /search?q=. */
const routes: Routes = [
  { path: '', title: 'Search', loadComponent: () => import('./search-page').then((m) => m.SearchPage) },
];
export default routes;
