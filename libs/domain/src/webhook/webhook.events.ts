import type { DomainEvent } from '../shared/message';

// Stream: webhook-<id>. A webhook belongs to a namespace (Portus) or, with namespaceId null, to the whole
// system (admins only). Secrets (basic-auth password, signing secret, custom header values) arrive sealed:
// the api encrypts them before they reach a command, so events hold ciphertext only (crypto-shreddable).

/** WebhookMethod is Portus's request_method enum. */
export type WebhookMethod = 'GET' | 'POST';

/** WebhookContentType is Portus's content_type enum. */
export type WebhookContentType = 'application/json' | 'application/x-www-form-urlencoded';

/** WebhookFormat: `portus` is the registry event as Portus sent it; `cloudevents` a CloudEvents 1.0 envelope. */
export type WebhookFormat = 'portus' | 'cloudevents';

/** WebhookEventKind names the registry actions a webhook can listen to (Portus fired on push and delete only). */
export type WebhookEventKind = 'push' | 'delete' | 'pull';

/** Sealed is ciphertext produced by the api's secret box; the domain never sees or compares the clear value. */
export type Sealed = string;

/** WebhookConfig is everything a user sets on a webhook except its headers. */
export interface WebhookConfig {
  readonly name: string;
  readonly url: string;
  readonly method: WebhookMethod;
  readonly contentType: WebhookContentType;
  readonly username: string;
  readonly password: Sealed | null;
  readonly events: readonly WebhookEventKind[];
  /** repositories are globs over full repository names; empty matches every repository. */
  readonly repositories: readonly string[];
  readonly secret: Sealed | null;
  readonly format: WebhookFormat;
}

export type WebhookCreated = DomainEvent<
  'WebhookCreated',
  WebhookConfig & { id: number; namespaceId: number | null; enabled: boolean; at: string }
>;
/** WebhookUpdated carries the changed fields; secrets appear only as new ciphertext. */
export type WebhookUpdated = DomainEvent<
  'WebhookUpdated',
  { id: number; namespaceId: number | null; changes: Partial<WebhookConfig>; at: string }
>;
export type WebhookEnabled = DomainEvent<'WebhookEnabled', { id: number; namespaceId: number | null; at: string }>;
export type WebhookDisabled = DomainEvent<'WebhookDisabled', { id: number; namespaceId: number | null; at: string }>;
export type WebhookHeaderAdded = DomainEvent<
  'WebhookHeaderAdded',
  { id: number; namespaceId: number | null; headerId: number; name: string; value: Sealed; at: string }
>;
export type WebhookHeaderRemoved = DomainEvent<
  'WebhookHeaderRemoved',
  { id: number; namespaceId: number | null; headerId: number; name: string; at: string }
>;
export type WebhookDeleted = DomainEvent<
  'WebhookDeleted',
  { id: number; namespaceId: number | null; name: string; url: string; at: string }
>;
/**
 * WebhookReplayRequested asks the dispatcher to deliver again every matching event after `afterPosition`
 * (exclusive; null = from the start) and at or after `since` (null = any time), up to `throughPosition`
 * (the store's head when asked, so a replay has a fixed end). Positions are decimal strings (bigints in JSON).
 */
export type WebhookReplayRequested = DomainEvent<
  'WebhookReplayRequested',
  {
    id: number;
    namespaceId: number | null;
    replayId: number;
    afterPosition: string | null;
    since: string | null;
    throughPosition: string;
    at: string;
  }
>;

export type WebhookEvent =
  | WebhookCreated
  | WebhookUpdated
  | WebhookEnabled
  | WebhookDisabled
  | WebhookHeaderAdded
  | WebhookHeaderRemoved
  | WebhookDeleted
  | WebhookReplayRequested;
