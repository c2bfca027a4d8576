import { DatePipe } from '@angular/common';
import { HttpClient, HttpParams } from '@angular/common/http';
import { Component, inject, Injector, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTableModule } from '@angular/material/table';
import { firstValueFrom } from 'rxjs';
import { confirmAction } from '../../core/confirm-dialog';
import { type Paged, toPaged } from '../../core/paged';
import { problemMessage } from '../../core/problem';
import { Session } from '../../core/session';
import { BotTokensDialog } from './bot-tokens-dialog';
import { UserCreateDialog } from './user-create-dialog';
import type { UserEntity } from '@portcullis/contracts';

/** SEARCH_DELAY_MS waits for a pause in typing before asking the API (one request per search, not per key). */
export const SEARCH_DELAY_MS = 300;

/** UserList is the admin's user table: server-side search and paging, create, enable/disable, admin, delete. */
@Component({
  selector: 'app-user-list',
  imports: [
    DatePipe,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatSlideToggleModule,
    MatTableModule,
  ],
  templateUrl: './user-list.html',
})
export class UserList {
  private readonly http = inject(HttpClient);
  private readonly dialog = inject(MatDialog);
  // Dialogs get this screen's injector so the route's providers (form-field defaults) apply inside them too.
  private readonly injector = inject(Injector);
  protected readonly session = inject(Session);
  protected readonly columns = ['username', 'email', 'kind', 'last_sign_in_at', 'enabled', 'admin', 'actions'];
  protected readonly page = signal<Paged<UserEntity> | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly search = signal('');
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = signal(20);
  private searchTimer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;

  constructor() {
    void this.load();
  }

  /** load fetches the current page for the current search (only the newest answer is shown). */
  protected async load(): Promise<void> {
    const mine = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    let params = new HttpParams()
      .set('page', this.pageIndex() + 1)
      .set('per_page', this.pageSize())
      .set('sort_attr', 'username')
      .set('sort_order', 'asc');
    if (this.search().trim()) params = params.set('search', this.search().trim());
    try {
      const res = await firstValueFrom(this.http.get<UserEntity[]>('/api/v1/users', { params, observe: 'response' }));
      if (mine === this.generation) this.page.set(toPaged(res));
    } catch (e) {
      if (mine === this.generation) this.error.set(problemMessage(e));
    } finally {
      if (mine === this.generation) this.loading.set(false);
    }
  }

  /** searchFor restarts at page one after the user paused typing. */
  protected searchFor(text: string): void {
    this.search.set(text);
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.pageIndex.set(0);
      void this.load();
    }, SEARCH_DELAY_MS);
  }

  /** changePage follows the paginator. */
  protected changePage(event: PageEvent): void {
    this.pageIndex.set(event.pageIndex);
    this.pageSize.set(event.pageSize);
    void this.load();
  }

  /** openCreate opens the new-user dialog and shows the list with the new user afterwards. */
  protected async openCreate(): Promise<void> {
    const ref = this.dialog.open(UserCreateDialog, { maxWidth: '32rem', width: '100%', injector: this.injector });
    const created = await firstValueFrom(ref.afterClosed());
    if (created) await this.load();
  }

  /** openTokens shows a bot's application tokens (create, revoke) in a dialog. */
  protected openTokens(bot: UserEntity): void {
    this.dialog.open(BotTokensDialog, { data: bot, maxWidth: '48rem', width: '100%', injector: this.injector });
  }

  /** setEnabled enables or disables a user, then shows the list as the API has it. */
  protected async setEnabled(user: UserEntity, enabled: boolean): Promise<void> {
    await this.change(() => firstValueFrom(this.http.put(`/api/v1/users/${user.id}/enabled`, { enabled })));
  }

  /** setAdmin grants or revokes admin, then shows the list as the API has it. */
  protected async setAdmin(user: UserEntity, admin: boolean): Promise<void> {
    await this.change(() => firstValueFrom(this.http.put(`/api/v1/users/${user.id}/admin`, { admin })));
  }

  /** unlock lifts a lock from too many failed sign-ins. */
  protected async unlock(user: UserEntity): Promise<void> {
    await this.change(() => firstValueFrom(this.http.put(`/api/v1/users/${user.id}/unlock`, {})));
  }

  /** remove deletes a user after a confirmation. */
  protected async remove(user: UserEntity): Promise<void> {
    const ok = await confirmAction(this.dialog, {
      title: `Delete ${user.username}?`,
      message:
        'The account, its personal namespace and its application tokens go; the activity log keeps what they did.',
      confirm: 'Delete user',
    });
    if (!ok) return;
    await this.change(() => firstValueFrom(this.http.delete(`/api/v1/users/${user.id}`)));
  }

  private async change(request: () => Promise<unknown>): Promise<void> {
    try {
      await request();
    } catch {
      // The error interceptor has said why; reloading puts the toggles back to the API's truth.
    }
    await this.load();
  }
}
