import { Component } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';

/** NotFound answers a URL no screen has, instead of silently showing another page. */
@Component({
  selector: 'app-not-found',
  imports: [MatButtonModule, RouterLink],
  template: `
    <h1>Page not found</h1>
    <p data-testid="not-found">There is no page at this address. It may have moved, or the link has a typo.</p>
    <a mat-flat-button routerLink="/">Go to the dashboard</a>
  `,
})
export class NotFound {}
