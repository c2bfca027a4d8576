import { z } from 'zod';
import { boolish, name } from './common';

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

/** WebhookEntity is a webhook as the API shows it: secrets never, only whether they are set. */
export interface WebhookEntity {
  id: number;
  namespace_id: number | null;
  name: string;
  url: string;
  request_method: 'GET' | 'POST';
  content_type: string;
  username: string;
  has_password: boolean;
  has_secret: boolean;
  enabled: boolean;
  events: string[];
  repositories: string[];
  format: 'portus' | 'cloudevents';
  headers: Array<{ id: number; name: string }>;
  created_at: string;
  updated_at: string;
}
