import type { ReadStore } from '@portcullis/persistence';
import type { ApplicationTokenDoc } from '../application-tokens/application-tokens.projection';
import { Collections } from '../collections';
import type { CredentialDoc, TokenCredentialDoc } from '../credentials/credentials.projection';
import { passwordCredentialId, tokenCredentialId } from '../credentials/credentials.projection';

const credentials = (store: ReadStore) => store.collection<CredentialDoc>(Collections.credentials);

/** tokensOfUser lists a user's application tokens (metadata only) by id. */
export function tokensOfUser(store: ReadStore, userId: number): Promise<ApplicationTokenDoc[]> {
  return store
    .collection<ApplicationTokenDoc>(Collections.applicationTokens)
    .find({ user_id: userId }, { sort: [['id', 1]] });
}

/** findCredentialByTokenHash returns the live token with this SHA-256 hash, or null; expiry is the caller's check. */
export async function findCredentialByTokenHash(
  store: ReadStore,
  tokenHash: string,
): Promise<TokenCredentialDoc | null> {
  const doc = await credentials(store).get(tokenCredentialId(tokenHash));
  return doc?.kind === 'token' ? doc : null;
}

/** passwordHashOf returns the user's password hash, or null (no local password, or no such user). */
export async function passwordHashOf(store: ReadStore, userId: number): Promise<string | null> {
  const doc = await credentials(store).get(passwordCredentialId(userId));
  return doc?.kind === 'password' ? doc.passwordHash : null;
}
