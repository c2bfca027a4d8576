import type { Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import type { Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import { charLength, hasControlChars } from '../shared/text';
import type { Sealed, WebhookConfig, WebhookEvent } from './webhook.events';
import type { WebhookState } from './webhook';
import { evolveWebhook, initialWebhookState } from './webhook';
import { WebhookErrors } from './webhook.errors';
import {
  WEBHOOK_CONTENT_TYPES,
  WEBHOOK_EVENT_KINDS,
  WEBHOOK_FORMATS,
  WEBHOOK_METHODS,
  canCreateWebhook,
  canManageWebhook,
  checkHeader,
  checkRepositoryGlob,
  normalizeWebhookUrl,
} from './webhook.rules';

// `actorRole` is the actor's role in the webhook namespace's team, looked up by the handler (null for
// system-wide webhooks, which only admins manage).
type Who = { actorRole: TeamRole | null; settings: Settings };

export type CreateWebhook = Command<
  'CreateWebhook',
  WebhookConfig & Who & { id: number; namespaceId: number | null; enabled: boolean }
>;
/** UpdateWebhook changes the given fields; `enabled` is decided as enable/disable, like Portus's toggle. */
export type UpdateWebhook = Command<'UpdateWebhook', Who & { changes: Partial<WebhookConfig> & { enabled?: boolean } }>;
export type ToggleWebhook = Command<'ToggleWebhook', Who>;
/** AddWebhookHeader carries the clear value for validation; only `sealedValue` is recorded. */
export type AddWebhookHeader = Command<
  'AddWebhookHeader',
  Who & { headerId: number; name: string; value: string; sealedValue: Sealed }
>;
export type RemoveWebhookHeader = Command<'RemoveWebhookHeader', Who & { headerId: number }>;
export type DeleteWebhook = Command<'DeleteWebhook', Who>;
export type RequestWebhookReplay = Command<
  'RequestWebhookReplay',
  Who & { afterPosition: string | null; since: string | null; throughPosition: string }
>;

/** WebhookCommand is every command the webhook decider accepts. */
export type WebhookCommand =
  | CreateWebhook
  | UpdateWebhook
  | ToggleWebhook
  | AddWebhookHeader
  | RemoveWebhookHeader
  | DeleteWebhook
  | RequestWebhookReplay;

/** checkConfig validates (and normalizes) whatever config fields are present. */
function checkConfig<T extends Partial<WebhookConfig>>(c: T): T {
  const out: { -readonly [K in keyof WebhookConfig]?: WebhookConfig[K] } = { ...c };
  if (c.name !== undefined) {
    const name = c.name.trim();
    if (!name || charLength(name) > 255 || hasControlChars(name))
      throw WebhookErrors.invalid('name', 'name must be 1 to 255 characters without control characters');
    out.name = name;
  }
  if (c.url !== undefined) {
    const r = normalizeWebhookUrl(c.url);
    if ('error' in r) throw WebhookErrors.invalid('url', r.error);
    out.url = r.url;
  }
  if (c.method !== undefined && !WEBHOOK_METHODS.includes(c.method))
    throw WebhookErrors.invalid('method', 'request_method must be GET or POST');
  if (c.contentType !== undefined && !WEBHOOK_CONTENT_TYPES.includes(c.contentType))
    throw WebhookErrors.invalid('content_type', `content_type must be ${WEBHOOK_CONTENT_TYPES.join(' or ')}`);
  if (c.format !== undefined && !WEBHOOK_FORMATS.includes(c.format))
    throw WebhookErrors.invalid('format', 'format must be portus or cloudevents');
  if (c.username !== undefined && (charLength(c.username) > 255 || hasControlChars(c.username)))
    throw WebhookErrors.invalid('username', 'username must be at most 255 characters without control characters');
  if (c.events !== undefined) {
    if (!c.events.length || c.events.some((e) => !WEBHOOK_EVENT_KINDS.includes(e)))
      throw WebhookErrors.invalid('events', `events must be some of ${WEBHOOK_EVENT_KINDS.join(', ')}`);
    out.events = WEBHOOK_EVENT_KINDS.filter((k) => c.events?.includes(k));
  }
  if (c.repositories !== undefined) {
    const error = c.repositories.map(checkRepositoryGlob).find((e) => e !== null);
    if (error) throw WebhookErrors.invalid('repositories', error);
    out.repositories = [...new Set(c.repositories)];
  }
  return out as T;
}

function requireLive(state: WebhookState): void {
  if (!state.exists || state.deleted) throw WebhookErrors.notFound();
}

function requireCreator(cmd: Command<string, Who>, namespaceId: number | null): void {
  const { actor } = cmd.metadata;
  if (canCreateWebhook(actor, cmd.data.actorRole, namespaceId, cmd.data.settings)) return;
  throw namespaceId === null ? WebhookErrors.systemForbidden() : WebhookErrors.forbidden();
}

function requireManager(cmd: Command<string, Who>, namespaceId: number | null): void {
  const { actor } = cmd.metadata;
  if (canManageWebhook(actor, cmd.data.actorRole, namespaceId, cmd.data.settings)) return;
  throw namespaceId === null ? WebhookErrors.systemForbidden() : WebhookErrors.forbidden();
}

function createWebhook(cmd: CreateWebhook, state: WebhookState): WebhookEvent[] {
  const { id, namespaceId, enabled, actorRole: _r, settings: _s, ...config } = cmd.data;
  if (state.exists) throw WebhookErrors.exists(id);
  requireCreator(cmd, namespaceId);
  const c = checkConfig(config);
  const data = { id, namespaceId, ...c, enabled, at: cmd.metadata.now };
  return [{ type: 'WebhookCreated', data }];
}

function updateWebhook(cmd: UpdateWebhook, state: WebhookState): WebhookEvent[] {
  requireLive(state);
  requireManager(cmd, state.namespaceId);
  const { enabled, ...rest } = cmd.data.changes;
  const checked: Partial<WebhookConfig> = checkConfig(rest);
  const changes = Object.fromEntries(
    Object.entries(checked).filter(
      ([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify(state[k as keyof WebhookConfig]),
    ),
  ) as Partial<WebhookConfig>;
  const { id, namespaceId } = state;
  const at = cmd.metadata.now;
  const events: WebhookEvent[] = [];
  if (Object.keys(changes).length) events.push({ type: 'WebhookUpdated', data: { id, namespaceId, changes, at } });
  if (enabled !== undefined && enabled !== state.enabled)
    events.push({ type: enabled ? 'WebhookEnabled' : 'WebhookDisabled', data: { id, namespaceId, at } });
  return events;
}

function toggleWebhook(cmd: ToggleWebhook, state: WebhookState): WebhookEvent[] {
  requireLive(state);
  requireManager(cmd, state.namespaceId);
  const data = { id: state.id, namespaceId: state.namespaceId, at: cmd.metadata.now };
  return [{ type: state.enabled ? 'WebhookDisabled' : 'WebhookEnabled', data }];
}

function addHeader(cmd: AddWebhookHeader, state: WebhookState): WebhookEvent[] {
  requireLive(state);
  requireCreator(cmd, state.namespaceId);
  const { headerId, name, value, sealedValue } = cmd.data;
  const error = checkHeader(name, value);
  if (error) throw WebhookErrors.invalid('header', error);
  if (state.headers.some((h) => h.name.toLowerCase() === name.toLowerCase())) throw WebhookErrors.headerExists(name);
  const data = { id: state.id, namespaceId: state.namespaceId, headerId, name, value: sealedValue };
  return [{ type: 'WebhookHeaderAdded', data: { ...data, at: cmd.metadata.now } }];
}

function removeHeader(cmd: RemoveWebhookHeader, state: WebhookState): WebhookEvent[] {
  requireLive(state);
  requireCreator(cmd, state.namespaceId);
  const header = state.headers.find((h) => h.id === cmd.data.headerId);
  if (!header) throw WebhookErrors.headerNotFound();
  const data = { id: state.id, namespaceId: state.namespaceId, headerId: header.id, name: header.name };
  return [{ type: 'WebhookHeaderRemoved', data: { ...data, at: cmd.metadata.now } }];
}

function deleteWebhook(cmd: DeleteWebhook, state: WebhookState): WebhookEvent[] {
  requireLive(state);
  requireCreator(cmd, state.namespaceId);
  const { id, namespaceId, name, url } = state;
  return [{ type: 'WebhookDeleted', data: { id, namespaceId, name, url, at: cmd.metadata.now } }];
}

function requestReplay(cmd: RequestWebhookReplay, state: WebhookState): WebhookEvent[] {
  requireLive(state);
  requireManager(cmd, state.namespaceId);
  const { afterPosition, since, throughPosition } = cmd.data;
  if ((afterPosition === null) === (since === null)) throw WebhookErrors.replayRange();
  if (!state.enabled) throw WebhookErrors.disabled();
  const data = { id: state.id, namespaceId: state.namespaceId, replayId: state.replays + 1 };
  return [
    {
      type: 'WebhookReplayRequested',
      data: { ...data, afterPosition, since, throughPosition, at: cmd.metadata.now },
    },
  ];
}

/** decideWebhook routes a webhook command to its rule function. */
export function decideWebhook(command: WebhookCommand, state: WebhookState): WebhookEvent[] {
  switch (command.type) {
    case 'CreateWebhook':
      return createWebhook(command, state);
    case 'UpdateWebhook':
      return updateWebhook(command, state);
    case 'ToggleWebhook':
      return toggleWebhook(command, state);
    case 'AddWebhookHeader':
      return addHeader(command, state);
    case 'RemoveWebhookHeader':
      return removeHeader(command, state);
    case 'DeleteWebhook':
      return deleteWebhook(command, state);
    case 'RequestWebhookReplay':
      return requestReplay(command, state);
    default:
      return assertNever(command);
  }
}

/** webhookDecider is the webhook aggregate as one emmett-shaped object. */
export const webhookDecider: Decider<WebhookState, WebhookCommand, WebhookEvent> = {
  decide: decideWebhook,
  evolve: evolveWebhook,
  initialState: initialWebhookState,
};
