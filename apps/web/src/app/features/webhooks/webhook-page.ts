import { Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { map } from 'rxjs';
import { WebhookList } from './webhook-list';

/** WebhookPage is /webhooks/:namespaceId: one namespace's webhooks on a page of their own. */
@Component({
  selector: 'app-webhook-page',
  imports: [MatButtonModule, RouterLink, WebhookList],
  template: `
    <section class="page">
      <a mat-button [routerLink]="['/namespaces', namespaceId()]">Back to the namespace</a>
      <app-webhook-list [namespaceId]="namespaceId()" />
    </section>
  `,
  styleUrl: './webhook-page.scss',
})
export class WebhookPage {
  protected readonly namespaceId = toSignal(
    inject(ActivatedRoute).paramMap.pipe(map((p) => Number(p.get('namespaceId')))),
    { initialValue: NaN },
  );
}
