import type { Routes } from '@angular/router';

/** The webhooks area, per namespace: list, create, and one webhook with its headers and deliveries. */
const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: '/namespaces' },
  { path: ':namespaceId', title: 'Webhooks', loadComponent: () => import('./webhook-page').then((m) => m.WebhookPage) },
  {
    path: ':namespaceId/new',
    title: 'New webhook',
    loadComponent: () => import('./webhook-create').then((m) => m.WebhookCreate),
  },
  {
    path: ':namespaceId/:id',
    title: 'Webhook',
    loadComponent: () => import('./webhook-detail').then((m) => m.WebhookDetail),
  },
];
export default routes;
