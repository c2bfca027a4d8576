import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { type ListQuery, toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';
import type { DeliveryEntity, UpdateWebhookChange, WebhookEntity } from '@portcullis/contracts';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/**
 * WebhookInput is the form's body: every field the form edits, from the API's UpdateWebhookChange; `password` null
 * removes it, absent keeps it.
 */
export type WebhookInput = Required<
  Pick<UpdateWebhookChange, 'name' | 'url' | 'request_method' | 'content_type' | 'username' | 'enabled' | 'events'>
> &
  Pick<UpdateWebhookChange, 'password'>;

/** WebhooksApi is the webhook screens' view of /api/v1/namespaces/:namespaceId/webhooks. */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  private base(namespaceId: number): string {
    return `/api/v1/namespaces/${namespaceId}/webhooks`;
  }

  list(namespaceId: number): Observable<WebhookEntity[]> {
    return this.http.get<WebhookEntity[]>(this.base(namespaceId), { context: ownErrors() });
  }

  get(namespaceId: number, id: number): Observable<WebhookEntity> {
    return this.http.get<WebhookEntity>(`${this.base(namespaceId)}/${id}`, { context: ownErrors() });
  }

  create(namespaceId: number, webhook: WebhookInput): Observable<WebhookEntity> {
    return this.http.post<WebhookEntity>(this.base(namespaceId), { webhook }, { context: ownErrors() });
  }

  update(namespaceId: number, id: number, webhook: Partial<WebhookInput>): Observable<WebhookEntity> {
    return this.http.put<WebhookEntity>(`${this.base(namespaceId)}/${id}`, { webhook }, { context: ownErrors() });
  }

  remove(namespaceId: number, id: number): Observable<unknown> {
    return this.http.delete(`${this.base(namespaceId)}/${id}`, { context: ownErrors() });
  }

  toggle(namespaceId: number, id: number): Observable<WebhookEntity> {
    return this.http.put<WebhookEntity>(`${this.base(namespaceId)}/${id}/toggle_enabled`, null, {
      context: ownErrors(),
    });
  }

  addHeader(namespaceId: number, id: number, name: string, value: string): Observable<unknown> {
    return this.http.post(
      `${this.base(namespaceId)}/${id}/headers`,
      { webhook_header: { name, value } },
      { context: ownErrors() },
    );
  }

  removeHeader(namespaceId: number, id: number, headerId: number): Observable<unknown> {
    return this.http.delete(`${this.base(namespaceId)}/${id}/headers/${headerId}`, { context: ownErrors() });
  }

  deliveries(namespaceId: number, id: number, q: ListQuery): Observable<Paged<DeliveryEntity>> {
    return this.http
      .get<DeliveryEntity[]>(`${this.base(namespaceId)}/${id}/deliveries`, {
        context: ownErrors(),
        params: toListParams(q),
        observe: 'response',
      })
      .pipe(map(toPaged));
  }

  retrigger(namespaceId: number, id: number, deliveryId: string): Observable<DeliveryEntity> {
    return this.http.put<DeliveryEntity>(
      `${this.base(namespaceId)}/${id}/deliveries/${encodeURIComponent(deliveryId)}`,
      null,
      { context: ownErrors() },
    );
  }

  /** replay redelivers every matching event since a time (ISO 8601). */
  replay(namespaceId: number, id: number, fromTime: string): Observable<unknown> {
    return this.http.post(`${this.base(namespaceId)}/${id}/replay`, { from_time: fromTime }, { context: ownErrors() });
  }
}
