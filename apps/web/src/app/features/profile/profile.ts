import { Component, inject } from '@angular/core';
import { Session } from '../../core/session';
import { AccountForm } from './account-form';
import { PasswordForm } from './password-form';
import { TokenList } from './token-list';

/** Profile is the signed-in user's own page: account details, password, application tokens. */
@Component({
  selector: 'app-profile',
  imports: [AccountForm, PasswordForm, TokenList],
  template: `
    <h1>Profile</h1>
    @if (session.user(); as user) {
      <p>
        Signed in as <strong>{{ user.username }}</strong>
        @if (user.admin) {
          (administrator)
        }
      </p>
      <h2>Account</h2>
      <app-account-form [user]="user" />
      <h2>Password</h2>
      <app-password-form [userId]="user.id" />
      <h2>Application tokens</h2>
      <app-token-list [userId]="user.id" />
    }
  `,
})
export class Profile {
  protected readonly session = inject(Session);
}
