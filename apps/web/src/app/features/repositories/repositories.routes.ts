import type { Routes } from '@angular/router';

/** The repositories area's lazy routes (placeholder until the area is built). */
const routes: Routes = [];
export default routes;
