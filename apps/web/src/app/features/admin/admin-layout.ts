import { Component } from '@angular/core';
import { MatTabsModule } from '@angular/material/tabs';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

/** AdminLayout puts the admin screens (users, registry, activities) behind one tab bar. */
@Component({
  selector: 'app-admin-layout',
  imports: [MatTabsModule, RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <h1>Administration</h1>
    <nav mat-tab-nav-bar [tabPanel]="panel" aria-label="Administration">
      @for (tab of tabs; track tab.path) {
        <a
          mat-tab-link
          [routerLink]="tab.path"
          routerLinkActive
          #rla="routerLinkActive"
          [active]="rla.isActive"
          [attr.data-testid]="'admin-tab-' + tab.path"
          >{{ tab.label }}</a
        >
      }
    </nav>
    <mat-tab-nav-panel #panel>
      <div class="admin-panel"><router-outlet /></div>
    </mat-tab-nav-panel>
  `,
  styles: `
    .admin-panel {
      padding-top: 1rem;
    }
  `,
})
export class AdminLayout {
  protected readonly tabs = [
    { path: 'users', label: 'Users' },
    { path: 'registries', label: 'Registry' },
    { path: 'activities', label: 'Activities' },
  ];
}
