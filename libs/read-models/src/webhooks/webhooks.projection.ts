import type { WebhookDeliveryEvent, WebhookEvent } from '@portcullis/domain';
import type { Doc, RecordedEvent } from '@portcullis/persistence';
import type { Projection } from '../projection';
import { evolveDocument, index } from '../projection';

/** WEBHOOKS and WEBHOOK_DELIVERIES are the collections of the webhook read models. */
export const WEBHOOKS = 'webhooks';
export const WEBHOOK_DELIVERIES = 'webhook_deliveries';

/**
 * WebhookDoc is one live webhook (deleted ones are removed). The sealed fields are ciphertext for the
 * dispatcher; the api never returns them.
 */
export interface WebhookDoc extends Doc {
  id: number;
  namespace_id: number | null;
  name: string;
  url: string;
  request_method: 'GET' | 'POST';
  content_type: string;
  username: string;
  password_sealed: string | null;
  secret_sealed: string | null;
  enabled: boolean;
  events: string[];
  repositories: string[];
  format: 'portus' | 'cloudevents';
  headers: Array<{ id: number; name: string; value_sealed: string }>;
  created_at: string;
  updated_at: string;
}

/** asWebhookEvent views a recorded event as the webhook unions (the store gives untyped JSON). */
export function asWebhookEvent(event: RecordedEvent): WebhookEvent | WebhookDeliveryEvent {
  return { type: event.type, data: event.data } as unknown as WebhookEvent | WebhookDeliveryEvent;
}

const CONFIG_FIELDS: Record<string, keyof WebhookDoc> = {
  name: 'name',
  url: 'url',
  method: 'request_method',
  contentType: 'content_type',
  username: 'username',
  password: 'password_sealed',
  secret: 'secret_sealed',
  events: 'events',
  repositories: 'repositories',
  format: 'format',
};

function evolve(doc: WebhookDoc | null, event: WebhookEvent): WebhookDoc | null {
  if (event.type === 'WebhookCreated') {
    const d = event.data;
    return {
      _id: String(d.id),
      id: d.id,
      namespace_id: d.namespaceId,
      name: d.name,
      url: d.url,
      request_method: d.method,
      content_type: d.contentType,
      username: d.username,
      password_sealed: d.password,
      secret_sealed: d.secret,
      enabled: d.enabled,
      events: [...d.events],
      repositories: [...d.repositories],
      format: d.format,
      headers: [],
      created_at: d.at,
      updated_at: d.at,
    };
  }
  if (doc === null) return null;
  const updated_at = event.data.at;
  switch (event.type) {
    case 'WebhookUpdated': {
      const next: WebhookDoc = { ...doc, updated_at };
      for (const [k, v] of Object.entries(event.data.changes)) (next as Record<string, unknown>)[CONFIG_FIELDS[k]] = v;
      return next;
    }
    case 'WebhookEnabled':
    case 'WebhookDisabled':
      return { ...doc, enabled: event.type === 'WebhookEnabled', updated_at };
    case 'WebhookHeaderAdded': {
      const { headerId: id, name, value } = event.data;
      const headers = doc.headers.filter((h) => h.id !== id);
      return { ...doc, headers: [...headers, { id, name, value_sealed: value }], updated_at };
    }
    case 'WebhookHeaderRemoved':
      return { ...doc, headers: doc.headers.filter((h) => h.id !== event.data.headerId), updated_at };
    case 'WebhookDeleted':
      return null;
    case 'WebhookReplayRequested':
      return doc;
  }
}

/** webhooksProjection keeps `webhooks`, what the api lists and the dispatcher matches events against. */
export const webhooksProjection: Projection = {
  name: 'webhooks',
  collections: [WEBHOOKS],
  indexes: { [WEBHOOKS]: [index(WEBHOOKS, 'namespace_id'), index(WEBHOOKS, 'enabled')] },
  canHandle: [
    'WebhookCreated',
    'WebhookUpdated',
    'WebhookEnabled',
    'WebhookDisabled',
    'WebhookHeaderAdded',
    'WebhookHeaderRemoved',
    'WebhookDeleted',
  ],
  async apply(recorded, store) {
    const event = asWebhookEvent(recorded) as WebhookEvent;
    await evolveDocument(store.collection<WebhookDoc>(WEBHOOKS), String(event.data.id), (doc) => evolve(doc, event));
  },
};

/** AttemptDoc is one delivery attempt as the delivery log shows it. */
export interface AttemptDoc {
  attempt: number;
  status: number;
  duration_ms: number;
  error: string | null;
  outcome: string;
  request_headers: Record<string, string>;
  response: { headers: Record<string, string>; body: string; truncated: boolean } | null;
  at: string;
}

/** WebhookDeliveryDoc is one delivery (Portus's WebhookDelivery, plus every attempt and the dead-letter reason). */
export interface WebhookDeliveryDoc extends Doc {
  id: string;
  webhook_id: number;
  namespace_id: number | null;
  event_id: string;
  event_position: number;
  event_kind: string;
  replay_id: number | null;
  idempotency_key: string;
  request: { method: string; url: string; content_type: string; body: string };
  state: 'pending' | 'delivered' | 'dead';
  /** status is the last HTTP status (0: no answer), null before the first attempt (Portus's column). */
  status: number | null;
  attempts: AttemptDoc[];
  next_attempt_at: string | null;
  dead_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** MAX_ATTEMPTS_SHOWN keeps a delivery document bounded however long a receiver stays down. */
const MAX_ATTEMPTS_SHOWN = 20;

function evolveDelivery(doc: WebhookDeliveryDoc | null, event: WebhookDeliveryEvent): WebhookDeliveryDoc | null {
  if (event.type === 'WebhookDeliveryScheduled') {
    const d = event.data;
    return {
      _id: d.id,
      id: d.id,
      webhook_id: d.webhookId,
      namespace_id: d.namespaceId,
      event_id: d.eventId,
      event_position: Number(d.eventPosition),
      event_kind: d.eventKind,
      replay_id: d.replayId,
      idempotency_key: d.idempotencyKey,
      request: {
        method: d.request.method,
        url: d.request.url,
        content_type: d.request.contentType,
        body: d.request.body,
      },
      state: 'pending',
      status: null,
      attempts: [],
      next_attempt_at: d.at,
      dead_reason: null,
      created_at: d.at,
      updated_at: d.at,
    };
  }
  if (doc === null) return null;
  if (event.type === 'WebhookDeliveryRetriggered')
    return { ...doc, state: 'pending', next_attempt_at: event.data.at, dead_reason: null, updated_at: event.data.at };
  const d = event.data;
  // Replays of the same event must not add the attempt twice: attempts are keyed by their number.
  const attempt: AttemptDoc = {
    attempt: d.attempt,
    status: d.status,
    duration_ms: d.durationMs,
    error: d.error,
    outcome: d.outcome,
    request_headers: d.requestHeaders,
    response: d.response,
    at: d.at,
  };
  const attempts = [...doc.attempts.filter((a) => a.attempt !== d.attempt), attempt].slice(-MAX_ATTEMPTS_SHOWN);
  return {
    ...doc,
    attempts,
    status: d.status,
    state: d.outcome === 'retrying' ? 'pending' : d.outcome,
    next_attempt_at: d.nextAttemptAt,
    dead_reason: d.reason,
    updated_at: d.at,
  };
}

/** webhookDeliveriesProjection keeps the delivery log and the dispatcher's list of due retries. */
export const webhookDeliveriesProjection: Projection = {
  name: 'webhook_deliveries',
  collections: [WEBHOOK_DELIVERIES],
  indexes: {
    [WEBHOOK_DELIVERIES]: [
      index(WEBHOOK_DELIVERIES, 'webhook_id', 'event_position'),
      index(WEBHOOK_DELIVERIES, 'state', 'next_attempt_at'),
    ],
  },
  canHandle: ['WebhookDeliveryScheduled', 'WebhookDeliveryAttempted', 'WebhookDeliveryRetriggered'],
  async apply(recorded, store) {
    const event = asWebhookEvent(recorded) as WebhookDeliveryEvent;
    await evolveDocument(store.collection<WebhookDeliveryDoc>(WEBHOOK_DELIVERIES), event.data.id, (doc) =>
      evolveDelivery(doc, event),
    );
  },
};
