import { BreakpointObserver } from '@angular/cdk/layout';
import { Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatListModule } from '@angular/material/list';
import { MatMenuModule } from '@angular/material/menu';
import { MatSidenavModule } from '@angular/material/sidenav';
import { MatToolbarModule } from '@angular/material/toolbar';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { Session } from '../core/session';
import { SetupState } from '../core/setup-state';

/** NavLink is one entry of the side navigation. */
interface NavLink {
  path: string;
  label: string;
  exact: boolean;
  testid: string;
}

/** HANDSET_QUERY is where the navigation turns from a side panel into an overlay drawer. */
export const HANDSET_QUERY = '(max-width: 959.98px)';

/**
 * Shell is the app frame: a toolbar (menu toggle, title, global search, user menu), the side navigation
 * (side mode on wide screens, an overlay drawer on phones) and the routed content in the `main` landmark.
 */
@Component({
  selector: 'app-shell',
  imports: [
    FormsModule,
    MatButtonModule,
    MatListModule,
    MatMenuModule,
    MatSidenavModule,
    MatToolbarModule,
    RouterLink,
    RouterLinkActive,
    RouterOutlet,
  ],
  templateUrl: './shell.html',
  styleUrl: './shell.scss',
})
export class Shell {
  private readonly router = inject(Router);
  protected readonly session = inject(Session);
  /** setup says whether anonymous visitors may explore (the guards keep it loaded). */
  protected readonly setup = inject(SetupState);
  protected readonly handset = toSignal(
    inject(BreakpointObserver)
      .observe(HANDSET_QUERY)
      .pipe(map((s) => s.matches)),
    { initialValue: false },
  );
  protected readonly drawerOpen = signal(false);
  protected readonly query = signal('');
  /** searched is the query the search page shows (null: not on it), to tell a stale box from fresh typing. */
  private searched: string | null = null;
  protected readonly links = computed<NavLink[]>(() => {
    const links: NavLink[] = [
      { path: '/', label: 'Dashboard', exact: true, testid: 'nav-dashboard' },
      { path: '/namespaces', label: 'Namespaces', exact: false, testid: 'nav-namespaces' },
      { path: '/teams', label: 'Teams', exact: false, testid: 'nav-teams' },
      { path: '/search', label: 'Search', exact: false, testid: 'nav-search' },
      { path: '/explore', label: 'Explore', exact: false, testid: 'nav-explore' },
    ];
    if (this.session.isAdmin()) links.push({ path: '/admin', label: 'Admin', exact: false, testid: 'nav-admin' });
    return links;
  });
  /** The side panel shows for signed-in users; on phones it is a drawer opened from the toolbar. */
  protected readonly sidenavOpened = computed(() => (this.handset() ? this.drawerOpen() : this.session.signedIn()));

  constructor() {
    // A navigation from the drawer closes it, so the phone shows the screen that was picked.
    const navigated = toSignal(this.router.events.pipe(filter((e) => e instanceof NavigationEnd)));
    effect(() => {
      const end = navigated();
      this.drawerOpen.set(false);
      // On the search page the box shows what was searched for. Leaving it clears the box (a stale query
      // would read as a filter on the next screen), unless the user has typed something new meanwhile.
      if (!end) return;
      if (end.urlAfterRedirects.startsWith('/search')) {
        const q = this.router.parseUrl(end.urlAfterRedirects).queryParamMap.get('q');
        if (q !== null)
          untracked(() => {
            this.query.set(q);
            this.searched = q;
          });
      } else if (this.searched !== null) {
        untracked(() => {
          if (this.query().trim() === this.searched) this.query.set('');
          this.searched = null;
        });
      }
    });
  }

  /** toggleDrawer opens or closes the phone navigation. */
  protected toggleDrawer(): void {
    this.drawerOpen.update((open) => !open);
  }

  /** search sends the global search box to /search?q=. */
  protected search(): void {
    const q = this.query().trim();
    if (!q) return;
    this.searched = q;
    void this.router.navigate(['/search'], { queryParams: { q } });
  }

  /** skipToContent moves focus to the main landmark (a fragment link would reload under the router). */
  protected skipToContent(event: Event): void {
    event.preventDefault();
    document.getElementById('main-content')?.focus();
  }
}
