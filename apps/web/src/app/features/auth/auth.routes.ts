import type { Routes } from '@angular/router';
import { provideFormFieldDefaults } from '../../core/form-field-defaults';
import { SignIn } from './sign-in';

/** The auth area's lazy routes: /sign-in (sign-out is the user menu's action). */
const routes: Routes = [
  { path: '', component: SignIn, title: 'Sign in · Portcullis', providers: [provideFormFieldDefaults()] },
];
export default routes;
