import { HttpErrorResponse } from '@angular/common/http';
import { Component, computed, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import { DEFAULT_PAGE_SIZE, type ListQuery } from '../../core/list-query';
import { ListPaginator } from '../../core/list-paginator';
import { ListStatus } from '../../core/list-status';
import { ListSearch } from '../../core/list-search';
import { Session } from '../../core/session';
import { SetupState } from '../../core/setup-state';
import { ExploreApi } from './explore-api';
import type { RepositoryEntity } from '@portcullis/contracts';

/** ExplorePage is /explore: public repositories, for anonymous visitors too when anonymous browsing is on. */
@Component({
  selector: 'app-explore-page',
  imports: [ListPaginator, ListSearch, ListStatus, MatButtonModule, RouterLink],
  templateUrl: './explore-page.html',
  styleUrl: './explore-page.scss',
})
export class ExplorePage {
  private readonly api = inject(ExploreApi);
  protected readonly session = inject(Session);
  private readonly setup = inject(SetupState);
  /** anonymousRefused: nobody is signed in and the API said anonymous browsing is off, so do not even ask. */
  private readonly anonymousRefused = computed(
    () => !this.session.signedIn() && this.setup.info()?.anonymous_browsing === false,
  );
  protected readonly query = signal<ListQuery>({ page: 1, perPage: DEFAULT_PAGE_SIZE, search: '' });
  protected readonly repositories = rxResource({
    params: () => (this.anonymousRefused() ? undefined : this.query()),
    stream: ({ params }) => this.api.repositories(params),
  });
  /** browsingOff: anonymous browsing is switched off (known from /meta/setup, or the API's 401) and nobody is signed in. */
  protected readonly browsingOff = computed(() => {
    if (this.anonymousRefused()) return true;
    const e = this.repositories.error();
    const cause = e instanceof Error ? e.cause : e;
    return cause instanceof HttpErrorResponse && cause.status === 401;
  });

  protected pull(repo: RepositoryEntity): string {
    return `docker pull ${repo.registry_hostname || location.host}/${repo.full_name}`;
  }
}
