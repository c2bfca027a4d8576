import { Component, computed, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatAutocompleteModule } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { type MatSelect, MatSelectModule } from '@angular/material/select';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { catchError, map, type Observable, of } from 'rxjs';
import { resourceError } from '../../core/resource-error';
import { confirmAction } from '../../core/confirm-dialog';
import { ROLES } from './roles';
import { teamProblem } from './team-errors';
import { TeamsApi } from './teams-api';
import type { TeamMemberEntity, TeamRole } from '@portcullis/contracts';

/** TeamDetail is /teams/:id: members with roles (add by typeahead, change role, remove) and the team's namespaces. */
@Component({
  selector: 'app-team-detail',
  imports: [
    FormsModule,
    MatAutocompleteModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    RouterLink,
  ],
  templateUrl: './team-detail.html',
  styleUrl: './team-detail.scss',
})
export class TeamDetail {
  private readonly api = inject(TeamsApi);
  private readonly dialog = inject(MatDialog);
  protected readonly id = toSignal(inject(ActivatedRoute).paramMap.pipe(map((p) => Number(p.get('id')))), {
    initialValue: NaN,
  });
  private readonly validId = computed(() => (Number.isInteger(this.id()) ? this.id() : undefined));
  protected readonly team = rxResource({ params: this.validId, stream: ({ params }) => this.api.get(params) });
  protected readonly members = rxResource({ params: this.validId, stream: ({ params }) => this.api.members(params) });
  protected readonly namespaces = rxResource({
    params: this.validId,
    stream: ({ params }) => this.api.namespaces(params),
  });
  protected readonly teamError = computed(() => resourceError(this.team.error()));
  protected readonly membersError = computed(() => resourceError(this.members.error()));
  protected readonly namespacesError = computed(() => resourceError(this.namespaces.error()));
  protected readonly roles = ROLES;

  protected readonly newMember = signal('');
  protected readonly newRole = signal<TeamRole>('viewer');
  protected readonly suggestions = rxResource({
    params: () => this.newMember().trim() || undefined,
    stream: ({ params }) => this.api.lookupUsers(params).pipe(catchError(() => of([]))),
  });
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);

  protected addMember(): void {
    const username = this.newMember().trim();
    const id = this.validId();
    if (!username || id === undefined) return;
    this.run(this.api.addMember(id, username, this.newRole()), `${username} joined as ${this.newRole()}.`, () =>
      this.newMember.set(''),
    );
  }

  protected changeRole(member: TeamMemberEntity, role: TeamRole, select: MatSelect): void {
    const id = this.validId();
    if (id === undefined || role === member.role) return;
    // On a refusal the select must go back to the role the member still has.
    this.run(this.api.changeRole(id, member.id, role), `${member.display_name} is now ${role}.`, undefined, () => {
      select.value = member.role;
    });
  }

  protected async removeMember(member: TeamMemberEntity): Promise<void> {
    const id = this.validId();
    if (id === undefined) return;
    const confirmed = await confirmAction(this.dialog, {
      title: `Remove ${member.display_name}?`,
      message: member.current
        ? 'You will leave this team and lose access to its private namespaces.'
        : `${member.display_name} loses access to this team's private namespaces.`,
      confirm: 'Remove member',
    });
    if (confirmed) this.run(this.api.removeMember(id, member.id), `${member.display_name} was removed.`);
  }

  /** run sends one member change, then re-fetches the members so the table shows the API's state. */
  private run(request: Observable<unknown>, done: string, after?: () => void, refused?: () => void): void {
    if (this.busy()) return;
    this.busy.set(true);
    this.failure.set(null);
    this.notice.set(null);
    request.subscribe({
      next: () => {
        this.busy.set(false);
        this.notice.set(done);
        after?.();
        this.members.reload();
      },
      error: (e) => {
        this.busy.set(false);
        this.failure.set(teamProblem(e));
        refused?.();
        this.members.reload();
      },
    });
  }
}
