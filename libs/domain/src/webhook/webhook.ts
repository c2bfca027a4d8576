import { assertNever } from '../shared/message';
import type { Sealed, WebhookConfig, WebhookEvent } from './webhook.events';

/** WebhookHeader is one custom header; its value is sealed. */
export interface WebhookHeader {
  readonly id: number;
  readonly name: string;
  readonly value: Sealed;
}

/** WebhookState is one webhook with its headers. */
export interface WebhookState extends WebhookConfig {
  readonly exists: boolean;
  readonly deleted: boolean;
  readonly id: number;
  readonly namespaceId: number | null;
  readonly enabled: boolean;
  readonly headers: readonly WebhookHeader[];
  readonly replays: number;
}

/** webhookStreamId names the stream of one webhook. */
export const webhookStreamId = (id: number): string => `webhook-${id}`;

/** initialWebhookState is the state of a stream with no events. */
export const initialWebhookState = (): WebhookState => ({
  exists: false,
  deleted: false,
  id: 0,
  namespaceId: null,
  name: '',
  url: '',
  method: 'POST',
  contentType: 'application/json',
  username: '',
  password: null,
  events: [],
  repositories: [],
  secret: null,
  format: 'portus',
  enabled: false,
  headers: [],
  replays: 0,
});

/** evolveWebhook applies one webhook event. */
export function evolveWebhook(state: WebhookState, event: WebhookEvent): WebhookState {
  switch (event.type) {
    case 'WebhookCreated': {
      const { at: _at, ...d } = event.data;
      return { ...initialWebhookState(), ...d, exists: true };
    }
    case 'WebhookUpdated':
      return { ...state, ...event.data.changes };
    case 'WebhookEnabled':
      return { ...state, enabled: true };
    case 'WebhookDisabled':
      return { ...state, enabled: false };
    case 'WebhookHeaderAdded': {
      const { headerId: id, name, value } = event.data;
      return { ...state, headers: [...state.headers, { id, name, value }] };
    }
    case 'WebhookHeaderRemoved':
      return { ...state, headers: state.headers.filter((h) => h.id !== event.data.headerId) };
    case 'WebhookDeleted':
      return { ...state, deleted: true };
    case 'WebhookReplayRequested':
      return { ...state, replays: Math.max(state.replays, event.data.replayId) };
    default:
      return assertNever(event);
  }
}
