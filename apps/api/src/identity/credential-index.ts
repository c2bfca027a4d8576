import type { ReadSide } from '../platform/read-side';

/** CredentialReader is everything authentication reads: users by id and name, password hashes, application tokens. */
export type CredentialReader = Pick<ReadSide, 'user' | 'userByUsername' | 'passwordHashOf' | 'credentialByTokenHash'>;

/**
 * CREDENTIAL_INDEX is the DI token of the in-process CredentialReader (the ACL index's copy of the `users` and
 * `credentials` projections, ADR 0014). Absent, authentication reads the shared read models only.
 */
export const CREDENTIAL_INDEX = Symbol('CREDENTIAL_INDEX');

/**
 * indexFirst reads the in-process index first and the shared read models only when the index does not know
 * the key. Why that order is safe (ADR 0014): every command this replica answers waits for the index, so a
 * change made here (revocation, disabling, a new password) is in the index before its answer leaves; the
 * shared read models are what every replica's command waited for, so something created on another replica
 * and not yet in this index (a new token, a new user) is found there. A key the index knows is never taken
 * from the shared models, so a revoked token is not revived by a lagging shared store.
 */
export function indexFirst(index: CredentialReader, shared: CredentialReader): CredentialReader {
  return {
    user: async (id) => (await index.user(id)) ?? shared.user(id),
    userByUsername: async (username) => (await index.userByUsername(username)) ?? shared.userByUsername(username),
    passwordHashOf: async (userId) => (await index.passwordHashOf(userId)) ?? shared.passwordHashOf(userId),
    credentialByTokenHash: async (hash) =>
      (await index.credentialByTokenHash(hash)) ?? shared.credentialByTokenHash(hash),
  };
}
