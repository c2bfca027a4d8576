import { z } from 'zod';
import { boolish, name } from './common';

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

/** CreateApplicationTokenRequest is POST /api/v1/users/:id/application_tokens. */
export const CreateApplicationTokenRequest = z
  .object({ application: name(), expires_at: z.string().datetime({ offset: true }).optional() })
  .strict();

/** UserEntity is Portus's API::Entities::Users. */
export interface UserEntity {
  id: number;
  username: string;
  email: string | null;
  current_sign_in_at: string | null;
  last_sign_in_at: string | null;
  created_at: string;
  updated_at: string;
  admin: boolean;
  enabled: boolean;
  locked_at: string | null;
  namespace_id: number | null;
  display_name: string | null;
  bot: boolean;
}

/** ApplicationTokenEntity: metadata only; `plain_token` appears once, in the create response. */
export interface ApplicationTokenEntity {
  id: number;
  application: string;
  expires_at: string | null;
  created_at: string;
  /** last_used_at: updated asynchronously (at most once a minute), so it may lag a use by that much. */
  last_used_at: string | null;
  plain_token?: string;
}
