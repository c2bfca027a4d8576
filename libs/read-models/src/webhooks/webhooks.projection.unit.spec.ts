import type { RecordedEvent } from '@portcullis/persistence';
import { InMemoryReadStoreForTests } from '../testing/in-memory-read-store.for-tests';
import { activitiesProjection, type ActivityDoc } from '../activities/activities.projection';
import { namespacesProjection } from '../namespaces/namespaces.projection';
import {
  webhookDeliveriesProjection,
  webhooksProjection,
  type WebhookDeliveryDoc,
  type WebhookDoc,
} from './webhooks.projection';

const at = '2030-01-01T00:00:00.000Z';
let n = 0;
const rec = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `e-${++n}`,
  streamId: 's',
  type,
  revision: 0n,
  position: BigInt(n),
  data,
  metadata: { actor: { id: 1, username: 'admin' }, correlationId: 'c' },
  created: at,
});

const events = () => {
  n = 0;
  return [
    rec('NamespaceCreated', {
      id: 3,
      name: 'devs',
      kind: 'team',
      registryId: 1,
      teamId: 5,
      ownerUserId: null,
      description: '',
      visibility: 'private',
      at,
    }),
    rec('WebhookCreated', {
      id: 9,
      namespaceId: 3,
      name: 'ci',
      url: 'https://ci.example.com/h',
      method: 'POST',
      contentType: 'application/json',
      username: 'u',
      password: 'v1:sealed',
      events: ['push', 'delete'],
      repositories: [],
      secret: null,
      format: 'portus',
      enabled: true,
      at,
    }),
    rec('WebhookHeaderAdded', { id: 9, namespaceId: 3, headerId: 4, name: 'X-Token', value: 'v1:h', at }),
    rec('WebhookUpdated', { id: 9, namespaceId: 3, changes: { name: 'deploy', password: 'v1:new' }, at }),
    rec('WebhookDisabled', { id: 9, namespaceId: 3, at }),
    rec('WebhookDeliveryScheduled', {
      id: '9-x',
      webhookId: 9,
      namespaceId: 3,
      eventId: 'x',
      eventPosition: '42',
      eventKind: 'push',
      replayId: null,
      idempotencyKey: 'x.9',
      request: { method: 'POST', url: 'https://ci.example.com/h', contentType: 'application/json', body: '{}' },
      at,
    }),
    rec('WebhookDeliveryAttempted', {
      id: '9-x',
      webhookId: 9,
      namespaceId: 3,
      attempt: 1,
      status: 503,
      durationMs: 5,
      error: null,
      requestHeaders: {},
      response: { headers: {}, body: 'down', truncated: false },
      outcome: 'retrying',
      nextAttemptAt: '2030-01-01T00:00:01.000Z',
      reason: null,
      at,
    }),
    rec('WebhookDeleted', { id: 9, namespaceId: 3, name: 'deploy', url: 'https://ci.example.com/h', at }),
  ];
};

async function run(
  projections = [namespacesProjection, webhooksProjection, webhookDeliveriesProjection, activitiesProjection],
  upTo?: number,
) {
  const store = new InMemoryReadStoreForTests();
  const all = events().slice(0, upTo);
  // Twice: a replay (MongoDB crash before the checkpoint) must give the same documents.
  for (const _round of [1, 2])
    for (const e of all) for (const p of projections) if (p.canHandle.includes(e.type)) await p.apply(e, store);
  return store;
}

describe('webhook read models', () => {
  it('keeps the webhook with sealed secrets and headers, then removes it on delete', async () => {
    const store = await run(undefined, 7);
    const [hook] = store.dump(['webhooks'])['webhooks'] as WebhookDoc[];
    expect(hook).toMatchObject({
      name: 'deploy',
      password_sealed: 'v1:new',
      enabled: false,
      headers: [{ id: 4, name: 'X-Token', value_sealed: 'v1:h' }],
    });
    expect((await run()).dump(['webhooks'])['webhooks']).toEqual([]);
  });

  it('keeps a delivery with its attempts, keyed by attempt number', async () => {
    const [d] = (await run()).dump(['webhook_deliveries'])['webhook_deliveries'] as WebhookDeliveryDoc[];
    expect(d).toMatchObject({
      state: 'pending',
      status: 503,
      event_position: 42,
      next_attempt_at: '2030-01-01T00:00:01.000Z',
    });
    expect(d.attempts).toHaveLength(1);
  });

  it("writes Portus's webhook activities with names, never secret values", async () => {
    const acts = ((await run()).dump(['activities'])['activities'] as ActivityDoc[]).filter(
      (a) => a.trackable_type === 'Webhook',
    );
    expect(acts.map((a) => a.key)).toEqual([
      'webhook.create',
      'webhook.update',
      'webhook.update',
      'webhook.disabled',
      'webhook.destroy',
    ]);
    expect(acts[2].parameters).toEqual({ webhook_name: 'ci', namespace_name: 'devs', fields: ['name', 'password'] });
    expect(acts[4].parameters).toEqual({
      namespace_id: 3,
      namespace_name: 'devs',
      webhook_url: 'https://ci.example.com/h',
      webhook_host: 'ci.example.com',
      webhook_name: 'deploy',
    });
    expect(acts.every((a) => a.team_id === 5 && a.namespace_id === 3)).toBe(true);
    expect(JSON.stringify(acts)).not.toContain('v1:');
  });
});
