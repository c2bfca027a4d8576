import type { ApplicationTokenEntity, UserEntity } from '@portcullis/contracts';
import type { Doc } from '@portcullis/persistence';

type D = Doc & Record<string, unknown>;

/** toUserEntity renders a users read-model document as Portus's Users entity. */
export function toUserEntity(u: D): UserEntity {
  return {
    id: u['id'] as number,
    username: u['username'] as string,
    email: (u['email'] as string | null) ?? null,
    current_sign_in_at: (u['current_sign_in_at'] as string | null) ?? null,
    last_sign_in_at: (u['last_sign_in_at'] as string | null) ?? null,
    created_at: u['created_at'] as string,
    updated_at: u['updated_at'] as string,
    admin: u['admin'] === true,
    enabled: u['enabled'] === true,
    locked_at: (u['locked_at'] as string | null) ?? null,
    namespace_id: (u['namespace_id'] as number | null) ?? null,
    display_name: (u['display_name'] as string | null) ?? null,
    bot: u['bot'] === true,
  };
}

/** toTokenEntity renders token metadata; the hash never leaves the read model. */
export function toTokenEntity(t: D): ApplicationTokenEntity {
  return {
    id: t['id'] as number,
    application: t['application'] as string,
    expires_at: (t['expires_at'] as string | null) ?? null,
    created_at: t['created_at'] as string,
    last_used_at: (t['last_used_at'] as string | null | undefined) ?? null,
  };
}
