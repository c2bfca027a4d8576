import type { Routes } from '@angular/router';
import { Profile } from './profile';

/** The profile area's lazy routes. */
const routes: Routes = [{ path: '', component: Profile, title: 'Profile · Portcullis' }];
export default routes;
