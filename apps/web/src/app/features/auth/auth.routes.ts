import type { Routes } from '@angular/router';
import { SignIn } from './sign-in';

/** The auth area's lazy routes: /sign-in (sign-out is the user menu's action). */
const routes: Routes = [{ path: '', component: SignIn, title: 'Sign in · Portcullis' }];
export default routes;
