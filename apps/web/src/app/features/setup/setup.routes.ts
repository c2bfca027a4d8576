import { inject } from '@angular/core';
import type { CanActivateFn, Routes } from '@angular/router';
import { Router } from '@angular/router';
import { provideFormFieldDefaults } from '../../core/form-field-defaults';
import { adminGuard } from '../../core/guards';
import { SetupState } from '../../core/setup-state';
import { SetupAdmin } from './setup-admin';
import { SetupRegistry } from './setup-registry';

/** noUsersYet keeps the first-admin form for installs that have no users (the API refuses it anyway). */
const noUsersYet: CanActivateFn = async () => {
  const info = await inject(SetupState).load(true);
  return info?.users ? inject(Router).parseUrl('/sign-in') : true;
};

/** The setup area's lazy routes: the first admin, then the registry. */
const routes: Routes = [
  {
    path: '',
    providers: [provideFormFieldDefaults()],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'admin' },
      { path: 'admin', canActivate: [noUsersYet], component: SetupAdmin, title: 'Create the first admin · Portcullis' },
      {
        path: 'registry',
        canActivate: [adminGuard],
        component: SetupRegistry,
        title: 'Set up the registry · Portcullis',
      },
    ],
  },
];
export default routes;
