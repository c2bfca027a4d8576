import { Component, inject } from '@angular/core';
import { Router } from '@angular/router';
import { Session } from '../../core/session';

/** SignOut ends the session on the API (DELETE /sessions) and goes to sign-in; the user menu links here. */
@Component({
  selector: 'app-sign-out',
  template: '<p class="state-loading" role="status">Signing out…</p>',
})
export class SignOut {
  private readonly session = inject(Session);
  private readonly router = inject(Router);

  constructor() {
    void this.signOut();
  }

  private async signOut(): Promise<void> {
    try {
      await this.session.signOut();
    } catch {
      // The session is forgotten locally either way (Session.signOut clears it in `finally`).
    }
    await this.router.navigateByUrl('/sign-in');
  }
}
