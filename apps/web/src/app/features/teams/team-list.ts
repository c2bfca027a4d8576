import { Component, inject, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import { DEFAULT_PAGE_SIZE, type ListQuery } from '../../core/list-query';
import { ListPaginator } from '../../core/list-paginator';
import { ListStatus } from '../../core/list-status';
import { ListSearch } from '../../core/list-search';
import { teamProblem } from './team-errors';
import { TeamsApi } from './teams-api';

/** TeamList is /teams: my teams (all of them for admins), searched and paged on the server, and a create form. */
@Component({
  selector: 'app-team-list',
  imports: [
    FormsModule,
    ListPaginator,
    ListSearch,
    ListStatus,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatTableModule,
    RouterLink,
  ],
  templateUrl: './team-list.html',
  styleUrl: './team-list.scss',
})
export class TeamList {
  private readonly api = inject(TeamsApi);
  private readonly router = inject(Router);
  protected readonly columns = ['name', 'description'];
  protected readonly query = signal<ListQuery>({ page: 1, perPage: DEFAULT_PAGE_SIZE, search: '' });
  protected readonly teams = rxResource({ params: () => this.query(), stream: ({ params }) => this.api.list(params) });
  protected readonly creating = signal(false);
  protected readonly newName = signal('');
  protected readonly newDescription = signal('');
  protected readonly saving = signal(false);
  protected readonly failure = signal<string | null>(null);

  protected createTeam(): void {
    const name = this.newName().trim();
    if (!name || this.saving()) return;
    this.saving.set(true);
    this.failure.set(null);
    this.api.create(name, this.newDescription()).subscribe({
      next: (team) => void this.router.navigate(['/teams', team.id]),
      error: (e) => {
        this.saving.set(false);
        this.failure.set(teamProblem(e));
      },
    });
  }
}
