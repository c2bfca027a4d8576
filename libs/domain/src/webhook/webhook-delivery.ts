import type { Command, Decider, DomainEvent } from '../shared/message';
import { assertNever } from '../shared/message';
import type { Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import type { WebhookContentType, WebhookEventKind, WebhookMethod } from './webhook.events';
import { WebhookErrors } from './webhook.errors';
import {
  backoffDelayMs,
  canManageWebhook,
  isDeliveredStatus,
  isRetryableStatus,
  type RetryPolicy,
} from './webhook.rules';

// Stream: webhook-delivery-<deliveryId>. The id is derived from (webhook, event[, replay]), so two dispatchers
// handling the same bus message meet on one stream and the second one's "schedule" is refused, not doubled.

/** webhookDeliveryId is the deterministic id of the delivery of one event to one webhook (per replay). */
export const webhookDeliveryId = (webhookId: number, eventId: string, replayId: number | null = null): string =>
  replayId === null ? `${webhookId}-${eventId}` : `${webhookId}-${eventId}-replay-${replayId}`;

/** webhookDeliveryStreamId names the stream of one delivery. */
export const webhookDeliveryStreamId = (deliveryId: string): string => `webhook-delivery-${deliveryId}`;

/** DeliveryRequest is what is sent, minus the headers derived from the webhook's current settings. */
export interface DeliveryRequest {
  readonly method: WebhookMethod;
  readonly url: string;
  readonly contentType: WebhookContentType;
  readonly body: string;
}

/** DeliveryResponse is the receiver's answer, trimmed; null when no answer came. */
export interface DeliveryResponse {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly truncated: boolean;
}

export type DeliveryOutcome = 'delivered' | 'retrying' | 'dead';

export type WebhookDeliveryScheduled = DomainEvent<
  'WebhookDeliveryScheduled',
  {
    id: string;
    webhookId: number;
    namespaceId: number | null;
    eventId: string;
    eventPosition: string;
    eventKind: WebhookEventKind;
    replayId: number | null;
    /** idempotencyKey is the same for every attempt, retrigger and replay of one event to one webhook. */
    idempotencyKey: string;
    request: DeliveryRequest;
    at: string;
  }
>;
export type WebhookDeliveryAttempted = DomainEvent<
  'WebhookDeliveryAttempted',
  {
    id: string;
    webhookId: number;
    namespaceId: number | null;
    attempt: number;
    /** status is the HTTP status, 0 when no answer came (refused, timed out, blocked). */
    status: number;
    durationMs: number;
    error: string | null;
    /** requestHeaders as sent, with credentials and custom header values redacted. */
    requestHeaders: Record<string, string>;
    response: DeliveryResponse | null;
    outcome: DeliveryOutcome;
    nextAttemptAt: string | null;
    /** reason says why a delivery was dead-lettered. */
    reason: string | null;
    at: string;
  }
>;
export type WebhookDeliveryRetriggered = DomainEvent<
  'WebhookDeliveryRetriggered',
  { id: string; webhookId: number; namespaceId: number | null; at: string }
>;
export type WebhookDeliveryEvent = WebhookDeliveryScheduled | WebhookDeliveryAttempted | WebhookDeliveryRetriggered;

/** WebhookDeliveryState is one delivery: pending until delivered or dead-lettered; a retrigger re-opens it. */
export interface WebhookDeliveryState {
  readonly exists: boolean;
  readonly id: string;
  readonly webhookId: number;
  readonly namespaceId: number | null;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly attempts: number;
  /** roundAttempts and roundStartedAt count the current round (since scheduling or the last retrigger). */
  readonly roundAttempts: number;
  readonly roundStartedAt: string;
  readonly nextAttemptAt: string | null;
}

export const initialWebhookDeliveryState = (): WebhookDeliveryState => ({
  exists: false,
  id: '',
  webhookId: 0,
  namespaceId: null,
  status: 'pending',
  attempts: 0,
  roundAttempts: 0,
  roundStartedAt: '',
  nextAttemptAt: null,
});

export function evolveWebhookDelivery(s: WebhookDeliveryState, e: WebhookDeliveryEvent): WebhookDeliveryState {
  switch (e.type) {
    case 'WebhookDeliveryScheduled': {
      const { id, webhookId, namespaceId, at } = e.data;
      const round = { roundAttempts: 0, roundStartedAt: at, nextAttemptAt: at };
      return { ...initialWebhookDeliveryState(), exists: true, id, webhookId, namespaceId, ...round };
    }
    case 'WebhookDeliveryAttempted': {
      const status = e.data.outcome === 'retrying' ? 'pending' : e.data.outcome;
      const counts = { attempts: s.attempts + 1, roundAttempts: s.roundAttempts + 1 };
      return { ...s, ...counts, status, nextAttemptAt: e.data.nextAttemptAt };
    }
    case 'WebhookDeliveryRetriggered':
      return { ...s, status: 'pending', roundAttempts: 0, roundStartedAt: e.data.at, nextAttemptAt: e.data.at };
    default:
      return assertNever(e);
  }
}

export type ScheduleWebhookDelivery = Command<'ScheduleWebhookDelivery', Omit<WebhookDeliveryScheduled['data'], 'at'>>;
/** RecordDeliveryAttempt decides what an attempt means: delivered, retry later (when), or dead (why). */
export type RecordDeliveryAttempt = Command<
  'RecordDeliveryAttempt',
  {
    status: number;
    durationMs: number;
    error: string | null;
    /** retryable false: the target itself is refused (SSRF guard, bad URL); retrying cannot help. */
    retryable: boolean;
    requestHeaders: Record<string, string>;
    response: DeliveryResponse | null;
    policy: RetryPolicy;
    /** jitter ∈ [0, 1) is drawn by the caller (the domain has no randomness). */
    jitter: number;
  }
>;
export type RetriggerWebhookDelivery = Command<
  'RetriggerWebhookDelivery',
  { actorRole: TeamRole | null; settings: Settings }
>;
export type WebhookDeliveryCommand = ScheduleWebhookDelivery | RecordDeliveryAttempt | RetriggerWebhookDelivery;

function describeFailure(status: number, error: string | null): string {
  return status === 0 ? (error ?? 'no response') : `HTTP ${status}`;
}

function recordAttempt(cmd: RecordDeliveryAttempt, s: WebhookDeliveryState): WebhookDeliveryEvent[] {
  if (!s.exists) throw WebhookErrors.deliveryNotFound();
  if (s.status !== 'pending') throw WebhookErrors.notPending();
  const { status, durationMs, error, retryable, requestHeaders, response, policy, jitter } = cmd.data;
  const now = cmd.metadata.now;
  const attempt = s.attempts + 1;
  const round = s.roundAttempts + 1;
  let outcome: DeliveryOutcome = 'delivered';
  let nextAttemptAt: string | null = null;
  let reason: string | null = null;
  if (!isDeliveredStatus(status)) {
    const failure = describeFailure(status, error);
    const next = Date.parse(now) + backoffDelayMs(round, policy, jitter);
    if (!retryable || !isRetryableStatus(status)) [outcome, reason] = ['dead', `not retried: ${failure}`];
    else if (round >= policy.maxAttempts) [outcome, reason] = ['dead', `gave up after ${round} attempts: ${failure}`];
    else if (next - Date.parse(s.roundStartedAt) > policy.maxAgeMs)
      [outcome, reason] = ['dead', `gave up after ${Math.round(policy.maxAgeMs / 3_600_000)} h: ${failure}`];
    else [outcome, nextAttemptAt] = ['retrying', new Date(next).toISOString()];
  }
  const ids = { id: s.id, webhookId: s.webhookId, namespaceId: s.namespaceId, attempt };
  const result = { status, durationMs, error, requestHeaders, response, outcome, nextAttemptAt, reason, at: now };
  return [{ type: 'WebhookDeliveryAttempted', data: { ...ids, ...result } }];
}

/** decideWebhookDelivery routes a delivery command. */
export function decideWebhookDelivery(cmd: WebhookDeliveryCommand, s: WebhookDeliveryState): WebhookDeliveryEvent[] {
  switch (cmd.type) {
    case 'ScheduleWebhookDelivery':
      if (s.exists) throw WebhookErrors.deliveryExists();
      return [{ type: 'WebhookDeliveryScheduled', data: { ...cmd.data, at: cmd.metadata.now } }];
    case 'RecordDeliveryAttempt':
      return recordAttempt(cmd, s);
    case 'RetriggerWebhookDelivery': {
      if (!s.exists) throw WebhookErrors.deliveryNotFound();
      if (!canManageWebhook(cmd.metadata.actor, cmd.data.actorRole, s.namespaceId, cmd.data.settings))
        throw s.namespaceId === null ? WebhookErrors.systemForbidden() : WebhookErrors.forbidden();
      const data = { id: s.id, webhookId: s.webhookId, namespaceId: s.namespaceId, at: cmd.metadata.now };
      return [{ type: 'WebhookDeliveryRetriggered', data }];
    }
    default:
      return assertNever(cmd);
  }
}

/** webhookDeliveryDecider is the delivery aggregate. */
export const webhookDeliveryDecider: Decider<WebhookDeliveryState, WebhookDeliveryCommand, WebhookDeliveryEvent> = {
  decide: decideWebhookDelivery,
  evolve: evolveWebhookDelivery,
  initialState: initialWebhookDeliveryState,
};
