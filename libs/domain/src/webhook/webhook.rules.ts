import type { ActorRef } from '../shared/message';
import type { Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import { hasControlChars } from '../shared/text';
import type { WebhookContentType, WebhookEventKind, WebhookFormat, WebhookMethod } from './webhook.events';

export const WEBHOOK_METHODS: readonly WebhookMethod[] = ['GET', 'POST'];
export const WEBHOOK_CONTENT_TYPES: readonly WebhookContentType[] = [
  'application/json',
  'application/x-www-form-urlencoded',
];
export const WEBHOOK_FORMATS: readonly WebhookFormat[] = ['portus', 'cloudevents'];
export const WEBHOOK_EVENT_KINDS: readonly WebhookEventKind[] = ['push', 'delete', 'pull'];
/** DEFAULT_WEBHOOK_EVENTS is what Portus fired on: pushes and deletes, never pulls. */
export const DEFAULT_WEBHOOK_EVENTS: readonly WebhookEventKind[] = ['push', 'delete'];

/** WEBHOOK_URL_MAX bounds a target URL. */
export const WEBHOOK_URL_MAX = 2048;

/**
 * normalizeWebhookUrl is Portus's rule (a value without a scheme gets `http://`) plus ours: http(s) only,
 * a host, and no credentials in the URL (they would be logged and shown; use username/password).
 * It returns the URL as WHATWG serializes it, or an error message.
 */
export function normalizeWebhookUrl(raw: string): { url: string } | { error: string } {
  const text = raw.trim();
  if (!text) return { error: "url can't be blank" };
  if (text.length > WEBHOOK_URL_MAX) return { error: `url is too long (max ${WEBHOOK_URL_MAX})` };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { error: 'url is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: 'url must be http or https' };
  if (!url.hostname) return { error: 'url needs a host' };
  if (url.username || url.password) return { error: 'url must not contain credentials; use username and password' };
  url.hash = '';
  return { url: url.toString() };
}

/** HEADER_NAME is RFC 9110's token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

/**
 * RESERVED_HEADERS are set by the HTTP client or by Portcullis itself; letting a user set them would break
 * framing (content-length, transfer-encoding) or forge our own signature and idempotency key.
 */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
  'idempotency-key',
]);

/** checkHeader returns an error message for a custom header, or null when it may be sent. */
export function checkHeader(name: string, value: string): string | null {
  if (!HEADER_NAME.test(name)) return 'name must be an HTTP header name';
  const lower = name.toLowerCase();
  if (RESERVED_HEADERS.has(lower) || lower.startsWith('portcullis-')) return `${name} is set by Portcullis`;
  if (value.length > 4096) return 'value is too long (max 4096)';
  if (hasControlChars(value.replace(/\t/g, ' '))) return 'value must not contain control characters';
  return null;
}

/**
 * globToRegExp compiles a repository glob: `*` matches within one path component, `**` across components,
 * `?` one character; everything else is literal (escaped, so a glob can never smuggle a regex).
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** checkRepositoryGlob returns an error message for a glob, or null. */
export function checkRepositoryGlob(glob: string): string | null {
  if (!glob || glob.length > 255) return 'repository globs must be 1 to 255 characters';
  if (!/^[a-z0-9._/*?-]+$/.test(glob)) return `repository glob ${glob} may only use a-z 0-9 . _ - / * ?`;
  return null;
}

/** WebhookTarget is what a webhook listens to. */
export interface WebhookMatchView {
  readonly enabled: boolean;
  readonly namespaceId: number | null;
  readonly events: readonly WebhookEventKind[];
  readonly repositories: readonly string[];
}

/** WebhookSubject is one registry event as the matcher sees it. */
export interface WebhookSubject {
  readonly kind: WebhookEventKind;
  readonly namespaceId: number | null;
  readonly repository: string;
}

/**
 * webhookMatches decides whether a webhook gets an event: enabled (unless `ignoreEnabled`, for replays),
 * same namespace or system-wide, listening to the kind, and (when it has globs) one glob matching the name.
 */
export function webhookMatches(
  hook: WebhookMatchView,
  subject: WebhookSubject,
  options: { ignoreEnabled?: boolean } = {},
): boolean {
  if (!hook.enabled && !options.ignoreEnabled) return false;
  if (hook.namespaceId !== null && hook.namespaceId !== subject.namespaceId) return false;
  if (!hook.events.includes(subject.kind)) return false;
  return hook.repositories.length === 0 || hook.repositories.some((g) => globToRegExp(g).test(subject.repository));
}

/**
 * canCreateWebhook is WebhookPolicy#create?/destroy? (and header create/destroy): admin, or
 * `user_permission.create_webhook` and owner of the namespace's team. System-wide webhooks: admins only.
 */
export function canCreateWebhook(
  actor: ActorRef | null,
  actorRole: TeamRole | null,
  namespaceId: number | null,
  settings: Pick<Settings, 'userPermission'>,
): boolean {
  if (actor === null) return false;
  if (actor.admin) return true;
  return namespaceId !== null && settings.userPermission.createWebhook && actorRole === 'owner';
}

/** canManageWebhook is WebhookPolicy#update?/toggle_enabled? and delivery retrigger (and our replay). */
export function canManageWebhook(
  actor: ActorRef | null,
  actorRole: TeamRole | null,
  namespaceId: number | null,
  settings: Pick<Settings, 'userPermission'>,
): boolean {
  if (actor === null) return false;
  if (actor.admin) return true;
  return namespaceId !== null && settings.userPermission.manageWebhook && actorRole === 'owner';
}

/** canSeeWebhook is WebhookPolicy#show?: admin or any member of the namespace's team. */
export function canSeeWebhook(actor: ActorRef | null, actorRole: TeamRole | null, namespaceId: number | null): boolean {
  if (actor === null) return false;
  return actor.admin || (namespaceId !== null && actorRole !== null);
}

/** RetryPolicy bounds a delivery's attempts: by count and by age, with exponential backoff between them. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly maxAgeMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * backoffDelayMs is exponential backoff with "equal jitter": half the capped exponential delay is kept, the
 * other half is scaled by `jitter` ∈ [0, 1) (chosen by the caller, so this stays pure), so receivers coming
 * back from an outage are not hit by every sender at the same instant, yet no retry comes immediately.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, jitter: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const j = Math.min(Math.max(jitter, 0), 0.999999);
  return Math.round(exp / 2 + (exp / 2) * j);
}

/** isRetryableStatus: network failures (0), timeouts, throttling and server errors are worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
}

/** isDeliveredStatus: any 2xx (Portus accepted 200 only, which made 201/204 receivers look broken). */
export const isDeliveredStatus = (status: number): boolean => status >= 200 && status < 300;
