import { DatePipe } from '@angular/common';
import { Clipboard } from '@angular/cdk/clipboard';
import { Component, computed, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { filter, map, switchMap } from 'rxjs';
import { problemMessage } from '../../core/problem';
import { resourceError } from '../../core/resource-error';
import { DeleteTagDialog, type DeleteTagData } from './delete-tag-dialog';
import { humanSize, pullCommand, shortDigest } from './human-size';
import { RepositoriesApi } from './repositories-api';
import { type TagGroup, toTagGroup } from './tag-groups';
import type { TagEntity } from '@portcullis/contracts';

/** GROUPS_PER_PAGE keeps a repository with 1k tags quick to render: the tag table is paged locally. */
const GROUPS_PER_PAGE = 25;

/** RepositoryDetail is /repositories/:id: tags grouped by digest, pull commands, tag deletion, star, description. */
@Component({
  selector: 'app-repository-detail',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    RouterLink,
  ],
  templateUrl: './repository-detail.html',
  styleUrl: './repository-detail.scss',
})
export class RepositoryDetail {
  private readonly api = inject(RepositoriesApi);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly clipboard = inject(Clipboard);
  private readonly router = inject(Router);
  protected readonly id = toSignal(inject(ActivatedRoute).paramMap.pipe(map((p) => Number(p.get('id')))), {
    initialValue: NaN,
  });
  protected readonly repository = rxResource({
    params: () => (Number.isInteger(this.id()) ? this.id() : undefined),
    stream: ({ params }) => this.api.get(params),
  });
  protected readonly repoError = computed(() => resourceError(this.repository.error()));
  protected readonly tagGroups = rxResource({
    params: () => (Number.isInteger(this.id()) ? this.id() : undefined),
    stream: ({ params }) =>
      this.api.groupedTags(params).pipe(map((groups) => groups.filter((g) => g.length).map(toTagGroup))),
  });
  protected readonly tagsError = computed(() => resourceError(this.tagGroups.error()));
  /** host is the registry's name in pull commands: the entity's (external, else internal hostname), else this host. */
  protected readonly host = computed(
    () => (this.repository.hasValue() && this.repository.value().registry_hostname) || location.host,
  );

  protected readonly tagFilter = signal('');
  protected readonly pageIndex = signal(0);
  protected readonly pageSize = GROUPS_PER_PAGE;
  protected readonly filteredGroups = computed(() => {
    const groups = this.tagGroups.value() ?? [];
    const f = this.tagFilter().trim().toLowerCase();
    return f ? groups.filter((g) => g.tags.some((t) => t.name.toLowerCase().includes(f))) : groups;
  });
  protected readonly visibleGroups = computed(() =>
    this.filteredGroups().slice(this.pageIndex() * this.pageSize, (this.pageIndex() + 1) * this.pageSize),
  );
  protected readonly tagCount = computed(() => (this.tagGroups.value() ?? []).reduce((n, g) => n + g.tags.length, 0));

  protected readonly lastPullCommand = signal<string | null>(null);
  protected readonly descriptionDraft = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly humanSize = humanSize;
  protected readonly shortDigest = shortDigest;

  protected filterTags(text: string): void {
    this.tagFilter.set(text);
    this.pageIndex.set(0);
  }

  protected changePage(e: PageEvent): void {
    this.pageIndex.set(e.pageIndex);
  }

  protected async copyPullCommand(tag: TagEntity): Promise<void> {
    const repo = this.repository.value();
    if (!repo) return;
    const command = pullCommand(this.host(), repo.full_name, tag.name);
    this.lastPullCommand.set(command);
    const copied = await this.copy(command);
    this.snackBar.open(copied ? `Copied: ${command}` : `Select and copy: ${command}`, 'OK', { duration: 5000 });
  }

  protected async copyDigest(digest: string): Promise<void> {
    const copied = await this.copy(digest);
    this.snackBar.open(copied ? `Copied ${digest}` : digest, 'OK', { duration: 4000 });
  }

  protected deleteTag(group: TagGroup, tag: TagEntity): void {
    const repo = this.repository.value();
    if (!repo || this.busy()) return;
    const data: DeleteTagData = {
      repository: repo.full_name,
      tag: tag.name,
      digest: group.digest,
      sharing: group.tags.map((t) => t.name),
    };
    this.failure.set(null);
    this.dialog
      .open<DeleteTagDialog, DeleteTagData, boolean>(DeleteTagDialog, { data, role: 'alertdialog', maxWidth: '95vw' })
      .afterClosed()
      .pipe(
        filter((ok) => ok === true),
        switchMap(() => {
          this.busy.set(true);
          return this.api.deleteTag(tag.id);
        }),
      )
      .subscribe({
        next: (answer) => {
          this.busy.set(false);
          // The API names what it removed: a tag pushed onto the digest since this page loaded is listed too.
          const gone = answer.tags;
          const n = gone.length;
          this.snackBar.open(`Deleted ${n === 1 ? `tag ${gone[0]}` : `${n} tags: ${gone.join(', ')}`}.`, 'OK', {
            duration: 5000,
          });
          if (answer.repository_deleted) {
            void this.router.navigate(repo.namespace.id ? ['/namespaces', repo.namespace.id] : ['/repositories']);
            return;
          }
          this.tagGroups.reload();
          this.repository.reload();
        },
        error: (e) => {
          this.busy.set(false);
          this.failure.set(problemMessage(e));
        },
      });
  }

  protected toggleStar(): void {
    const repo = this.repository.value();
    if (!repo || this.busy()) return;
    this.busy.set(true);
    this.failure.set(null);
    (repo.starred ? this.api.unstar(repo.id) : this.api.star(repo.id)).subscribe({
      next: () => {
        this.busy.set(false);
        this.repository.reload();
      },
      error: (e) => {
        this.busy.set(false);
        this.failure.set(problemMessage(e));
      },
    });
  }

  protected saveDescription(): void {
    const repo = this.repository.value();
    const description = this.descriptionDraft();
    if (!repo || description === null || this.busy()) return;
    this.busy.set(true);
    this.failure.set(null);
    this.api.updateDescription(repo.id, description).subscribe({
      next: () => {
        this.busy.set(false);
        this.descriptionDraft.set(null);
        this.snackBar.open('Description saved.', 'OK', { duration: 3000 });
        this.repository.reload();
      },
      error: (e) => {
        this.busy.set(false);
        this.failure.set(problemMessage(e));
      },
    });
  }

  /** copy writes to the clipboard: the async Clipboard API, else the CDK's execCommand fallback. */
  private async copy(text: string): Promise<boolean> {
    try {
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(text);
        return true;
      }
    } catch {
      // Not allowed here (no focus, insecure origin): fall through to the older mechanism.
    }
    return this.clipboard.copy(text);
  }
}
