import type { Collection, Doc, RecordedEvent } from '@portcullis/persistence';
import type { WebhookEvent } from '@portcullis/domain';
import { asWebhookEvent } from '../webhooks/webhooks.projection';

/** WEBHOOK_ACTIVITY_EVENTS are the webhook events that become activities (Portus's webhook.* keys). */
export const WEBHOOK_ACTIVITY_EVENTS = [
  'WebhookCreated',
  'WebhookUpdated',
  'WebhookEnabled',
  'WebhookDisabled',
  'WebhookHeaderAdded',
  'WebhookHeaderRemoved',
  'WebhookDeleted',
  'WebhookReplayRequested',
] as const;

interface NameDoc extends Doc {
  name: string;
  team_id?: number;
  url?: string;
}

/** WebhookActivityFields is what activitiesProjection needs to write the activity. */
export interface WebhookActivityFields {
  key: string;
  trackable_type: 'Webhook';
  trackable_id: number;
  // Optional in the type only, so activitiesProjection's defaults can sit in front of them in one literal.
  recipient_type?: 'Namespace' | null;
  recipient_id?: number | null;
  namespace_id?: number | null;
  team_id?: number | null;
  parameters?: Record<string, unknown>;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
};

/**
 * webhookActivity maps a webhook event to Portus's key (`webhook.create`, `.update`, `.destroy`, `.enabled`,
 * `.disabled`; `webhook.replay` is ours). Header changes are updates; parameters name fields, never values,
 * so no secret reaches the activity log. The webhook's name comes from the projection's own name memory.
 */
export async function webhookActivity(
  recorded: RecordedEvent,
  names: Collection<NameDoc>,
): Promise<WebhookActivityFields> {
  const event = asWebhookEvent(recorded) as WebhookEvent;
  const { id, namespaceId } = event.data;
  const ns = namespaceId === null ? null : await names.get(`namespace:${namespaceId}`);
  const hook = await names.get(`webhook:${id}`);
  const base = {
    trackable_type: 'Webhook' as const,
    trackable_id: id,
    recipient_type: namespaceId === null ? null : ('Namespace' as const),
    recipient_id: namespaceId,
    namespace_id: namespaceId,
    team_id: ns?.team_id ?? null,
  };
  const named = { webhook_name: hook?.name ?? null, namespace_name: ns?.name ?? null };
  switch (event.type) {
    case 'WebhookCreated':
      return { ...base, key: 'webhook.create', parameters: { ...named, webhook_name: event.data.name } };
    case 'WebhookUpdated':
      return {
        ...base,
        key: 'webhook.update',
        parameters: { ...named, fields: Object.keys(event.data.changes).sort() },
      };
    case 'WebhookHeaderAdded':
    case 'WebhookHeaderRemoved':
      return { ...base, key: 'webhook.update', parameters: { ...named, fields: ['headers'], header: event.data.name } };
    case 'WebhookEnabled':
    case 'WebhookDisabled':
      return {
        ...base,
        key: event.type === 'WebhookEnabled' ? 'webhook.enabled' : 'webhook.disabled',
        parameters: named,
      };
    case 'WebhookDeleted': {
      const { name, url } = event.data;
      const parameters = { namespace_id: namespaceId, namespace_name: ns?.name ?? null, webhook_url: url };
      return {
        ...base,
        key: 'webhook.destroy',
        parameters: { ...parameters, webhook_host: hostOf(url), webhook_name: name },
      };
    }
    case 'WebhookReplayRequested': {
      const { replayId, afterPosition, since } = event.data;
      return {
        ...base,
        key: 'webhook.replay',
        parameters: { ...named, replay_id: replayId, after_position: afterPosition, since },
      };
    }
  }
}

/** rememberWebhook keeps the webhook's current name (set semantics, so replays are harmless). */
export async function rememberWebhook(recorded: RecordedEvent, names: Collection<NameDoc>): Promise<void> {
  const event = asWebhookEvent(recorded) as WebhookEvent;
  if (event.type === 'WebhookCreated')
    await names.upsert({ _id: `webhook:${event.data.id}`, name: event.data.name, url: event.data.url });
  if (event.type === 'WebhookUpdated' && event.data.changes.name !== undefined) {
    const doc = await names.get(`webhook:${event.data.id}`);
    await names.upsert({ ...(doc ?? { _id: `webhook:${event.data.id}` }), name: event.data.changes.name });
  }
}
