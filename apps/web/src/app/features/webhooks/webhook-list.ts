import { Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatTableModule } from '@angular/material/table';
import { RouterLink } from '@angular/router';
import { problemMessage } from '../../core/problem';
import { resourceError } from '../../core/resource-error';
import { confirmAction } from '../../core/confirm-dialog';
import { WebhooksApi } from './webhooks-api';
import type { WebhookEntity } from '@portcullis/contracts';

/** WebhookList lists one namespace's webhooks (embedded in the namespace page and at /webhooks/:namespaceId). */
@Component({
  selector: 'app-webhook-list',
  imports: [MatButtonModule, MatProgressBarModule, MatSlideToggleModule, MatTableModule, RouterLink],
  templateUrl: './webhook-list.html',
  styleUrl: './webhook-list.scss',
})
export class WebhookList {
  private readonly api = inject(WebhooksApi);
  private readonly dialog = inject(MatDialog);
  readonly namespaceId = input.required<number>();
  protected readonly columns = ['name', 'url', 'events', 'enabled', 'actions'];
  protected readonly webhooks = rxResource({
    params: () => this.namespaceId(),
    stream: ({ params }) => this.api.list(params),
  });
  protected readonly loadError = computed(() => resourceError(this.webhooks.error()));
  protected readonly failure = signal<string | null>(null);

  protected toggleEnabled(hook: WebhookEntity): void {
    this.failure.set(null);
    this.api.toggle(this.namespaceId(), hook.id).subscribe({
      next: () => this.webhooks.reload(),
      error: (e) => {
        this.failure.set(problemMessage(e));
        this.webhooks.reload();
      },
    });
  }

  protected async deleteWebhook(hook: WebhookEntity): Promise<void> {
    this.failure.set(null);
    const confirmed = await confirmAction(this.dialog, {
      title: 'Delete webhook?',
      message: `WebhookEntity “${hook.name}” and its delivery log will be deleted. Its receiver gets no more events.`,
      confirm: 'Delete webhook',
    });
    if (!confirmed) return;
    this.api.remove(this.namespaceId(), hook.id).subscribe({
      next: () => this.webhooks.reload(),
      error: (e) => this.failure.set(problemMessage(e)),
    });
  }
}
