import type { Routes } from '@angular/router';

/** The explore area: public repositories, also for anonymous visitors. */
const routes: Routes = [
  { path: '', title: 'Explore', loadComponent: () => import('./explore-page').then((m) => m.ExplorePage) },
];
export default routes;
