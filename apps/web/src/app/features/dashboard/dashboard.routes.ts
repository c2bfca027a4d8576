import type { Routes } from '@angular/router';
import { Dashboard } from './dashboard';

/** The dashboard area's lazy routes. */
const routes: Routes = [{ path: '', component: Dashboard, title: 'Dashboard · Portcullis' }];
export default routes;
