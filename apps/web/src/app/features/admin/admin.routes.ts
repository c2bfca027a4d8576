import type { Routes } from '@angular/router';
import { provideFormFieldDefaults } from '../../core/form-field-defaults';
import { ActivityLog } from './activity-log';
import { AdminLayout } from './admin-layout';
import { RegistryAdmin } from './registry-admin';
import { UserList } from './user-list';

/** The admin area's lazy routes (admins only; the guard sits in app.routes). */
const routes: Routes = [
  {
    path: '',
    component: AdminLayout,
    providers: [provideFormFieldDefaults()],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'users' },
      { path: 'users', component: UserList, title: 'Users · Admin · Portcullis' },
      { path: 'registries', component: RegistryAdmin, title: 'Registry · Admin · Portcullis' },
      { path: 'activities', component: ActivityLog, title: 'Activities · Admin · Portcullis' },
    ],
  },
];
export default routes;
