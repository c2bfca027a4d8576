import { Component, computed, inject, signal } from '@angular/core';
import { rxResource, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { map, type Observable } from 'rxjs';
import { type ListQuery } from '../../core/list-query';
import { problemMessage } from '../../core/problem';
import { resourceError } from '../../core/resource-error';
import { WebhookForm } from './webhook-form';
import { WebhooksApi } from './webhooks-api';
import type { DeliveryEntity } from '@portcullis/contracts';

/** WebhookDetail is /webhooks/:namespaceId/:id: edit, custom headers, the delivery log, retrigger and replay. */
@Component({
  selector: 'app-webhook-detail',
  imports: [
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    RouterLink,
    WebhookForm,
  ],
  templateUrl: './webhook-detail.html',
  styleUrl: './webhook-detail.scss',
})
export class WebhookDetail {
  private readonly api = inject(WebhooksApi);
  private readonly params = toSignal(
    inject(ActivatedRoute).paramMap.pipe(map((p) => ({ ns: Number(p.get('namespaceId')), id: Number(p.get('id')) }))),
    { initialValue: { ns: NaN, id: NaN } },
  );
  protected readonly namespaceId = computed(() => this.params().ns);
  protected readonly webhook = rxResource({
    params: () => (Number.isInteger(this.params().id) ? this.params() : undefined),
    stream: ({ params }) => this.api.get(params.ns, params.id),
  });
  protected readonly loadError = computed(() => resourceError(this.webhook.error()));
  protected readonly deliveryQuery = signal<ListQuery>({ page: 1, perPage: 10, search: '' });
  protected readonly deliveries = rxResource({
    params: () => (Number.isInteger(this.params().id) ? { ...this.params(), q: this.deliveryQuery() } : undefined),
    stream: ({ params }) => this.api.deliveries(params.ns, params.id, params.q),
  });
  protected readonly deliveriesError = computed(() => resourceError(this.deliveries.error()));
  protected readonly openDelivery = signal<string | null>(null);
  protected readonly headerName = signal('');
  protected readonly headerValue = signal('');
  protected readonly replaySince = signal('');
  protected readonly busy = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);

  protected webhookSaved(): void {
    this.notice.set('Webhook saved.');
    this.webhook.reload();
  }

  protected addHeader(): void {
    const name = this.headerName().trim();
    this.run(
      this.api.addHeader(this.namespaceId(), this.params().id, name, this.headerValue()),
      `Header ${name} added.`,
      () => {
        this.headerName.set('');
        this.headerValue.set('');
        this.webhook.reload();
      },
    );
  }

  protected removeHeader(headerId: number, name: string): void {
    this.run(this.api.removeHeader(this.namespaceId(), this.params().id, headerId), `Header ${name} removed.`, () =>
      this.webhook.reload(),
    );
  }

  protected retrigger(d: DeliveryEntity): void {
    this.run(this.api.retrigger(this.namespaceId(), this.params().id, d.id), 'Delivery sent again.', () =>
      this.deliveries.reload(),
    );
  }

  protected replay(): void {
    const since = new Date(this.replaySince());
    if (Number.isNaN(since.getTime())) {
      this.failure.set('Pick the date and time to replay from.');
      return;
    }
    this.run(
      this.api.replay(this.namespaceId(), this.params().id, since.toISOString()),
      'Replay requested: every matching event since then is being delivered again.',
      () => this.deliveries.reload(),
    );
  }

  protected toggleDelivery(d: DeliveryEntity): void {
    this.openDelivery.update((open) => (open === d.id ? null : d.id));
  }

  protected changePage(e: PageEvent): void {
    this.deliveryQuery.update((q) => ({ ...q, page: e.pageIndex + 1, perPage: e.pageSize }));
  }

  protected headerLines(headers: Record<string, string> | null | undefined): string {
    return Object.entries(headers ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n');
  }

  private run(request: Observable<unknown>, done: string, after: () => void): void {
    if (this.busy()) return;
    this.busy.set(true);
    this.failure.set(null);
    this.notice.set(null);
    request.subscribe({
      next: () => {
        this.busy.set(false);
        this.notice.set(done);
        after();
      },
      error: (e) => {
        this.busy.set(false);
        this.failure.set(problemMessage(e));
      },
    });
  }
}
