import type { Routes } from '@angular/router';

/** The teams area's lazy routes (placeholder until the area is built). */
const routes: Routes = [];
export default routes;
