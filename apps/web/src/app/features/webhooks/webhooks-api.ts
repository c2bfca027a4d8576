import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, type Observable } from 'rxjs';
import { type ListQuery, toListParams } from '../../core/list-query';
import { type Paged, toPaged } from '../../core/paged';
import { SHOWS_OWN_ERRORS } from '../../core/error-interceptor';

/** ownErrors marks a request whose errors this screen shows itself (no second message from the error interceptor). */
const ownErrors = () => new HttpContext().set(SHOWS_OWN_ERRORS, true);

/** WebhookEvent is a registry event a webhook can be sent for. */
export type WebhookEvent = 'push' | 'delete' | 'pull';

/** Webhook is the API's webhook entity: secrets are never shown, only whether they are set. */
export interface Webhook {
  id: number;
  namespace_id: number | null;
  name: string;
  url: string;
  request_method: 'GET' | 'POST';
  content_type: string;
  username: string;
  has_password: boolean;
  has_secret: boolean;
  enabled: boolean;
  events: WebhookEvent[];
  repositories: string[];
  format: 'portus' | 'cloudevents';
  headers: Array<{ id: number; name: string }>;
  created_at: string;
  updated_at: string;
}

/** WebhookInput is the create/edit form's body; `password` null removes it, absent keeps it. */
export interface WebhookInput {
  name: string;
  url: string;
  request_method: 'GET' | 'POST';
  content_type: string;
  username: string;
  password?: string | null;
  enabled: boolean;
  events: WebhookEvent[];
}

/** DeliveryAttempt is one try at delivering: what was sent and what came back. */
export interface DeliveryAttempt {
  attempt: number;
  status: number;
  duration_ms: number;
  error: string | null;
  outcome: string;
  request_headers: Record<string, string>;
  response: { headers: Record<string, string>; body: string; truncated: boolean } | null;
  at: string;
}

/** Delivery is one webhook delivery with its request, last response and every attempt. */
export interface Delivery {
  id: string;
  uuid: string;
  webhook_id: number;
  state: 'pending' | 'delivered' | 'dead';
  status: number | null;
  event_id: string;
  event_position: string;
  event: string;
  replay_id: number | null;
  request: { method: string; url: string; content_type: string; body: string; headers: Record<string, string> | null };
  response: { headers: Record<string, string>; body: string; truncated: boolean } | null;
  attempts: DeliveryAttempt[];
  next_attempt_at: string | null;
  dead_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** WebhooksApi is the webhook screens' view of /api/v1/namespaces/:namespaceId/webhooks. */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);

  private base(namespaceId: number): string {
    return `/api/v1/namespaces/${namespaceId}/webhooks`;
  }

  list(namespaceId: number): Observable<Webhook[]> {
    return this.http.get<Webhook[]>(this.base(namespaceId), { context: ownErrors() });
  }

  get(namespaceId: number, id: number): Observable<Webhook> {
    return this.http.get<Webhook>(`${this.base(namespaceId)}/${id}`, { context: ownErrors() });
  }

  create(namespaceId: number, webhook: WebhookInput): Observable<Webhook> {
    return this.http.post<Webhook>(this.base(namespaceId), { webhook }, { context: ownErrors() });
  }

  update(namespaceId: number, id: number, webhook: Partial<WebhookInput>): Observable<Webhook> {
    return this.http.put<Webhook>(`${this.base(namespaceId)}/${id}`, { webhook }, { context: ownErrors() });
  }

  remove(namespaceId: number, id: number): Observable<unknown> {
    return this.http.delete(`${this.base(namespaceId)}/${id}`, { context: ownErrors() });
  }

  toggle(namespaceId: number, id: number): Observable<Webhook> {
    return this.http.put<Webhook>(`${this.base(namespaceId)}/${id}/toggle_enabled`, null, { context: ownErrors() });
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

  deliveries(namespaceId: number, id: number, q: ListQuery): Observable<Paged<Delivery>> {
    return this.http
      .get<Delivery[]>(`${this.base(namespaceId)}/${id}/deliveries`, {
        context: ownErrors(),
        params: toListParams(q),
        observe: 'response',
      })
      .pipe(map(toPaged));
  }

  retrigger(namespaceId: number, id: number, deliveryId: string): Observable<Delivery> {
    return this.http.put<Delivery>(
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
