import type { Routes } from '@angular/router';
import { provideFormFieldDefaults } from '../../core/form-field-defaults';
import { Profile } from './profile';

/** The profile area's lazy routes. */
const routes: Routes = [
  { path: '', component: Profile, title: 'Profile · Portcullis', providers: [provideFormFieldDefaults()] },
];
export default routes;
