import { Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { map } from 'rxjs';
import { WebhookForm } from './webhook-form';
import type { WebhookEntity } from '@portcullis/contracts';

/** WebhookCreate is /webhooks/:namespaceId/new; after saving it opens the new webhook. */
@Component({
  selector: 'app-webhook-create',
  imports: [MatButtonModule, RouterLink, WebhookForm],
  template: `
    <section class="page">
      <header class="page-header">
        <h1>New webhook</h1>
        <a mat-button [routerLink]="['/namespaces', namespaceId()]">Back to the namespace</a>
      </header>
      <app-webhook-form [namespaceId]="namespaceId()" (saved)="openWebhook($event)" />
    </section>
  `,
  styleUrl: './webhook-page.scss',
})
export class WebhookCreate {
  private readonly router = inject(Router);
  protected readonly namespaceId = toSignal(
    inject(ActivatedRoute).paramMap.pipe(map((p) => Number(p.get('namespaceId')))),
    { initialValue: NaN },
  );

  protected openWebhook(hook: WebhookEntity): void {
    void this.router.navigate(['/webhooks', this.namespaceId(), hook.id]);
  }
}
