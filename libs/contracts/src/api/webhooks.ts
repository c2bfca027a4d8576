import { z } from 'zod';
import { boolish, entity, id, name, timestamp } from './common';

const secret = () => z.string().max(1024);
const method = z.union([
  z.enum(['GET', 'POST']),
  z.literal(0).transform(() => 'GET' as const),
  z.literal(1).transform(() => 'POST' as const),
]);
const contentType = z.union([
  z.enum(['application/json', 'application/x-www-form-urlencoded']),
  // Portus's enum values.
  z.literal(0).transform(() => 'application/json' as const),
  z.literal(1).transform(() => 'application/x-www-form-urlencoded' as const),
]);

const fields = {
  name: name(),
  url: z.string().trim().min(1).max(2048),
  request_method: method,
  content_type: contentType,
  username: z.string().max(255),
  enabled: boolish(),
  events: z
    .array(z.enum(['push', 'delete', 'pull']))
    .min(1)
    .max(3),
  repositories: z.array(z.string().min(1).max(255)).max(50),
  format: z.enum(['portus', 'cloudevents']),
};

/** CreateWebhookRequest is POST …/webhooks (Portus's fields plus events, repositories, secret, format). */
export const CreateWebhookRequest = z
  .object({
    webhook: z
      .object({
        ...fields,
        request_method: method.optional(),
        content_type: contentType.optional(),
        username: fields.username.optional(),
        password: secret().optional(),
        enabled: fields.enabled.optional(),
        events: fields.events.optional(),
        repositories: fields.repositories.optional(),
        secret: secret().optional(),
        format: fields.format.optional(),
      })
      .strict(),
  })
  .strict();

/** UpdateWebhookRequest is PUT …/webhooks/:id; `password`/`secret` null removes them, absent keeps them. */
export const UpdateWebhookRequest = z
  .object({
    webhook: z
      .object({
        name: fields.name.optional(),
        url: fields.url.optional(),
        request_method: method.optional(),
        content_type: contentType.optional(),
        username: fields.username.optional(),
        password: secret().nullable().optional(),
        enabled: fields.enabled.optional(),
        events: fields.events.optional(),
        repositories: fields.repositories.optional(),
        secret: secret().nullable().optional(),
        format: fields.format.optional(),
      })
      .strict(),
  })
  .strict();

/** CreateWebhookHeaderRequest is POST …/webhooks/:id/headers. */
export const CreateWebhookHeaderRequest = z
  .object({ webhook_header: z.object({ name: z.string().min(1).max(128), value: z.string().max(4096) }).strict() })
  .strict();

/** ReplayWebhookRequest is POST …/webhooks/:id/replay: exactly one of from_position (exclusive) or from_time. */
export const ReplayWebhookRequest = z
  .object({
    from_position: z
      .string()
      .regex(/^\d{1,19}$/, 'must be a position')
      .optional(),
    from_time: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine(
    (r) => (r.from_position === undefined) !== (r.from_time === undefined),
    'give exactly one of from_position or from_time',
  );

/** WebhookEventKind is a registry event a webhook can be sent for. */
export const WebhookEventKind = z.enum(['push', 'delete', 'pull']);
export type WebhookEventKind = z.infer<typeof WebhookEventKind>;

/** UpdateWebhookChange is the `webhook` of PUT …/webhooks/:id as a client sends it (any subset of the fields). */
export type UpdateWebhookChange = z.input<typeof UpdateWebhookRequest>['webhook'];

/** WebhookEntity is a webhook as the API shows it: secrets never, only whether they are set. */
export const WebhookEntity = entity(
  'WebhookEntity',
  'A webhook (its password, secret and header values are never shown, only whether they are set)',
  z.strictObject({
    id: id(),
    /** namespace_id is null for a system-wide webhook. */
    namespace_id: id().nullable(),
    name: z.string(),
    url: z.string(),
    request_method: z.enum(['GET', 'POST']),
    content_type: z.enum(['application/json', 'application/x-www-form-urlencoded']),
    username: z.string(),
    has_password: z.boolean(),
    has_secret: z.boolean(),
    enabled: z.boolean(),
    events: z.array(WebhookEventKind),
    repositories: z.array(z.string()),
    format: z.enum(['portus', 'cloudevents']),
    headers: z.array(z.strictObject({ id: id(), name: z.string() })),
    created_at: timestamp(),
    updated_at: timestamp(),
  }),
);
export type WebhookEntity = z.infer<typeof WebhookEntity>;

const response = z.strictObject({
  /** status repeats the attempt's: the sender records the whole answer (the domain's type leaves it out). */
  status: z.number().int().optional(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  truncated: z.boolean(),
});

/** DeliveryAttemptEntity is one try at delivering: what was sent (headers redacted) and what came back. */
export const DeliveryAttemptEntity = entity(
  'DeliveryAttemptEntity',
  'One attempt of a delivery: status (0: no answer), duration, redacted request headers, trimmed response',
  z.strictObject({
    attempt: z.number().int().positive(),
    status: z.number().int().nonnegative(),
    duration_ms: z.number().nonnegative(),
    error: z.string().nullable(),
    outcome: z.string(),
    request_headers: z.record(z.string(), z.string()),
    response: response.nullable(),
    at: timestamp(),
  }),
);
export type DeliveryAttemptEntity = z.infer<typeof DeliveryAttemptEntity>;

/** DeliveryEntity is Portus's WebhookDelivery (uuid, status, request, response) plus attempts and state. */
export const DeliveryEntity = entity(
  'DeliveryEntity',
  'A webhook delivery: the request, the last response and every attempt',
  z.strictObject({
    id: z.string(),
    uuid: z.string(),
    webhook_id: id(),
    state: z.enum(['pending', 'delivered', 'dead']),
    /** status is the last HTTP status (0: no answer), null before the first attempt. */
    status: z.number().int().nonnegative().nullable(),
    event_id: z.string(),
    /** event_position is the event's global position, a decimal string (it may exceed 2^53). */
    event_position: z.string().regex(/^\d+$/),
    event: z.string(),
    replay_id: id().nullable(),
    idempotency_key: z.string(),
    request: z.strictObject({
      method: z.string(),
      url: z.string(),
      content_type: z.string(),
      body: z.string(),
      headers: z.record(z.string(), z.string()).nullable(),
    }),
    response: response.nullable(),
    attempts: z.array(DeliveryAttemptEntity),
    next_attempt_at: timestamp().nullable(),
    dead_reason: z.string().nullable(),
    created_at: timestamp(),
    updated_at: timestamp(),
  }),
);
export type DeliveryEntity = z.infer<typeof DeliveryEntity>;

/** ReplayEntity is the answer of POST …/webhooks/:id/replay (202): events up to through_position are redelivered. */
export const ReplayEntity = entity(
  'ReplayEntity',
  'An accepted replay: every matching event up to through_position is scheduled again',
  z.strictObject({ webhook_id: id(), through_position: z.string().regex(/^\d+$/) }),
);
export type ReplayEntity = z.infer<typeof ReplayEntity>;
