import { DeciderSpecification } from '../shared/decider-specification';
import type { ActorRef } from '../shared/message';
import { defaultSettings } from '../settings/settings';
import type { RecordDeliveryAttempt, WebhookDeliveryEvent, WebhookDeliveryScheduled } from './webhook-delivery';
import { webhookDeliveryDecider, webhookDeliveryId } from './webhook-delivery';
import type { RetryPolicy } from './webhook.rules';

const spec = DeciderSpecification.for(webhookDeliveryDecider);
const t0 = '2030-05-01T10:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(t0) + ms).toISOString();
const system = { now: t0, actor: null };
const policy: RetryPolicy = { maxAttempts: 3, maxAgeMs: 3_600_000, baseDelayMs: 1000, maxDelayMs: 60_000 };

const scheduled: WebhookDeliveryScheduled = {
  type: 'WebhookDeliveryScheduled',
  data: {
    id: webhookDeliveryId(9, 'e1'),
    webhookId: 9,
    namespaceId: 3,
    eventId: 'e1',
    eventPosition: '17',
    eventKind: 'push',
    replayId: null,
    idempotencyKey: 'e1.9',
    request: { method: 'POST', url: 'https://ci.example.com/', contentType: 'application/json', body: '{}' },
    at: t0,
  },
};
const attempt = (
  status: number,
  extra: Partial<RecordDeliveryAttempt['data']> = {},
  now = t0,
): RecordDeliveryAttempt => ({
  type: 'RecordDeliveryAttempt',
  data: {
    status,
    durationMs: 12,
    error: status === 0 ? 'ECONNREFUSED' : null,
    retryable: true,
    requestHeaders: {},
    response: null,
    policy,
    jitter: 0.5,
    ...extra,
  },
  metadata: { now, actor: null },
});
const attempted = (n: number, status: number, outcome: string, next: string | null, reason: string | null, now = t0) =>
  ({
    type: 'WebhookDeliveryAttempted',
    data: {
      id: '9-e1',
      webhookId: 9,
      namespaceId: 3,
      attempt: n,
      status,
      durationMs: 12,
      error: status === 0 ? 'ECONNREFUSED' : null,
      requestHeaders: {},
      response: null,
      outcome,
      nextAttemptAt: next,
      reason,
      at: now,
    },
  }) as WebhookDeliveryEvent;

describe('When a delivery is scheduled', () => {
  it('is scheduled once per (webhook, event): a second dispatcher is refused', () => {
    spec([])
      .when({ type: 'ScheduleWebhookDelivery', data: (({ at: _a, ...d }) => d)(scheduled.data), metadata: system })
      .then([scheduled]);
    spec([scheduled])
      .when({ type: 'ScheduleWebhookDelivery', data: (({ at: _a, ...d }) => d)(scheduled.data), metadata: system })
      .thenThrows('WEBHOOK_DELIVERY.EXISTS');
  });
  it('is delivered by any 2xx', () => {
    spec([scheduled])
      .when(attempt(204))
      .then([attempted(1, 204, 'delivered', null, null)]);
  });
  it('retries a refused connection after backoff with jitter (1 s base: 0.75 s at jitter 0.5)', () => {
    spec([scheduled])
      .when(attempt(0))
      .then([attempted(1, 0, 'retrying', at(750), null)]);
  });
  it('dead-letters a 4xx at once with the reason', () => {
    spec([scheduled])
      .when(attempt(404))
      .then([attempted(1, 404, 'dead', null, 'not retried: HTTP 404')]);
  });
  it('dead-letters a target the SSRF guard refused', () => {
    spec([scheduled])
      .when(attempt(0, { retryable: false, error: 'blocked address 10.0.0.1' }))
      .then([
        {
          ...attempted(1, 0, 'dead', null, 'not retried: blocked address 10.0.0.1'),
          data: {
            ...attempted(1, 0, 'dead', null, null).data,
            error: 'blocked address 10.0.0.1',
            reason: 'not retried: blocked address 10.0.0.1',
          },
        } as WebhookDeliveryEvent,
      ]);
  });
});

describe('When a delivery has failed before', () => {
  const given = [
    scheduled,
    attempted(1, 503, 'retrying', at(750), null),
    attempted(2, 503, 'retrying', at(2250), null),
  ];
  it('gives up after max attempts', () => {
    spec(given)
      .when(attempt(503, {}, at(2250)))
      .then([attempted(3, 503, 'dead', null, 'gave up after 3 attempts: HTTP 503', at(2250))]);
  });
  it('gives up when the next attempt would fall after max age', () => {
    spec(given)
      .when(attempt(503, { policy: { ...policy, maxAttempts: 10, maxAgeMs: 3000 } }, at(2250)))
      .then([attempted(3, 503, 'dead', null, 'gave up after 0 h: HTTP 503', at(2250))]);
  });
});

describe('When a delivery is done', () => {
  const given = [scheduled, attempted(1, 200, 'delivered', null, null)];
  const alice: ActorRef = { id: 2, username: 'alice', admin: false };
  it('refuses another attempt', () => {
    spec(given).when(attempt(200)).thenThrows('WEBHOOK_DELIVERY.NOT_PENDING');
  });
  it('lets the owner retrigger it, which opens a new round', () => {
    const retrigger = {
      type: 'RetriggerWebhookDelivery' as const,
      data: { actorRole: 'owner' as const, settings: defaultSettings },
      metadata: { now: at(5000), actor: alice },
    };
    const retriggered: WebhookDeliveryEvent = {
      type: 'WebhookDeliveryRetriggered',
      data: { id: '9-e1', webhookId: 9, namespaceId: 3, at: at(5000) },
    };
    spec(given).when(retrigger).then([retriggered]);
    spec([...given, retriggered])
      .when(attempt(200, {}, at(5001)))
      .then([attempted(2, 200, 'delivered', null, null, at(5001))]);
    spec(given)
      .when({ ...retrigger, data: { ...retrigger.data, actorRole: 'contributor' as const } })
      .thenThrows('WEBHOOK.FORBIDDEN');
  });
});
