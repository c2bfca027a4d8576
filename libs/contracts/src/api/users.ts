import { z } from 'zod';
import { boolish, entity, id, name, timestamp } from './common';

const email = () => z.string().trim().max(255, 'is too long (max 255)').email('is not a valid email address');
const password = () =>
  z.string().min(8, 'is too short (minimum is 8 characters)').max(128, 'is too long (maximum is 128 characters)');

/** BootstrapUserRequest is POST /api/v1/users/bootstrap (Portus: `user{username,email,password,display_name?}`). */
export const BootstrapUserRequest = z
  .object({
    user: z
      .object({ username: name(), email: email(), password: password(), display_name: name().optional() })
      .strict(),
  })
  .strict();

/** CreateUserRequest is POST /api/v1/users (admin): adds `bot`. */
export const CreateUserRequest = z
  .object({
    user: z
      .object({
        username: name(),
        email: email(),
        password: password(),
        display_name: name().optional(),
        bot: boolish().optional(),
        admin: boolish().optional(),
      })
      .strict(),
  })
  .strict();

/** UpdateUserRequest is PUT /api/v1/users/:id. */
export const UpdateUserRequest = z
  .object({
    user: z
      .object({
        username: name().optional(),
        email: email().optional(),
        password: password().optional(),
        display_name: name().nullable().optional(),
      })
      .strict(),
  })
  .strict();

/** SetAdminRequest is PUT /api/v1/users/:id/admin (our extension; Portus does it in its UI only). */
export const SetAdminRequest = z.object({ admin: boolish() }).strict();

/** SetEnabledRequest is PUT /api/v1/users/:id/enabled. */
export const SetEnabledRequest = z.object({ enabled: z.boolean() }).strict();

/** CreateApplicationTokenRequest is POST /api/v1/users/:id/application_tokens. */
export const CreateApplicationTokenRequest = z
  .object({ application: name(), expires_at: z.string().datetime({ offset: true }).optional() })
  .strict();

/** UserEntity is Portus's API::Entities::Users. */
export const UserEntity = entity(
  'UserEntity',
  'A user (Portus’s Users entity)',
  z.strictObject({
    id: id(),
    username: z.string(),
    email: z.string().nullable(),
    current_sign_in_at: timestamp().nullable(),
    last_sign_in_at: timestamp().nullable(),
    created_at: timestamp(),
    updated_at: timestamp(),
    admin: z.boolean(),
    enabled: z.boolean(),
    locked_at: timestamp().nullable(),
    namespace_id: id().nullable(),
    display_name: z.string().nullable(),
    bot: z.boolean(),
  }),
);
export type UserEntity = z.infer<typeof UserEntity>;

/** ApplicationTokenEntity is a token's metadata; the secret is shown once, in NewApplicationTokenEntity. */
export const ApplicationTokenEntity = entity(
  'ApplicationTokenEntity',
  'An application token’s metadata (never the token itself)',
  z.strictObject({
    id: id(),
    application: z.string(),
    expires_at: timestamp().nullable(),
    created_at: timestamp(),
    /** last_used_at: updated asynchronously (at most once a minute), so it may lag a use by that much. */
    last_used_at: timestamp().nullable(),
  }),
);
export type ApplicationTokenEntity = z.infer<typeof ApplicationTokenEntity>;

/**
 * NewApplicationTokenEntity is the one answer that carries `plain_token`. The metadata is there when the read
 * model showed the token in time (always, short of a read-model outage); bootstrap answers id and name only.
 */
export const NewApplicationTokenEntity = entity(
  'NewApplicationTokenEntity',
  'A created application token, with the token itself (shown only this once)',
  ApplicationTokenEntity.partial({ expires_at: true, created_at: true, last_used_at: true }).extend({
    plain_token: z.string(),
  }),
);
export type NewApplicationTokenEntity = z.infer<typeof NewApplicationTokenEntity>;

/** UserLookupEntity is what any signed-in user may learn about another: no e-mail, no flags. */
export const UserLookupEntity = entity(
  'UserLookupEntity',
  'A user as the typeahead shows them (no e-mail)',
  z.strictObject({ id: id(), username: z.string(), display_name: z.string().nullable() }),
);
export type UserLookupEntity = z.infer<typeof UserLookupEntity>;
