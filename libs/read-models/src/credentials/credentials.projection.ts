import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { Projection } from '../projection';
import { asProjectedEvent, index } from '../projection';

/** PasswordCredentialDoc is `password:<userId>`: the hash the api verifies a password against. */
export interface PasswordCredentialDoc extends Doc {
  kind: 'password';
  userId: number;
  passwordHash: string;
}

/** TokenCredentialDoc is `token:<tokenHash>`: looked up by the hash of a presented application token. */
export interface TokenCredentialDoc extends Doc {
  kind: 'token';
  userId: number;
  tokenId: number;
  expiresAt: string | null;
}

/** CredentialDoc is one document of the api-internal `credentials` collection (never served as is). */
export type CredentialDoc = PasswordCredentialDoc | TokenCredentialDoc;

/** passwordCredentialId is the `_id` of a user's password credential. */
export const passwordCredentialId = (userId: number): string => `password:${userId}`;

/** tokenCredentialId is the `_id` of an application token's credential. */
export const tokenCredentialId = (tokenHash: string): string => `token:${tokenHash}`;

const credentials = Collections.credentials;

/** credentialsProjection maintains `credentials`: secrets (hashed) by lookup key, gone on revoke/delete. */
export const credentialsProjection: Projection = {
  name: 'credentials',
  collections: [credentials],
  indexes: {
    [credentials]: [index(credentials, 'userId'), index(credentials, 'tokenId')],
  },
  canHandle: [
    'UserRegistered',
    'UserPasswordChanged',
    'UserDeleted',
    'ApplicationTokenCreated',
    'ApplicationTokenRevoked',
  ],
  async apply(recorded, store) {
    const col = store.collection<CredentialDoc>(credentials);
    const event = asProjectedEvent(recorded);
    switch (event.type) {
      case 'UserRegistered': {
        const { id, passwordHash } = event.data;
        // LDAP-created users have no local password: nothing to verify against.
        if (passwordHash === null) return col.delete(passwordCredentialId(id));
        return col.upsert({
          _id: passwordCredentialId(id),
          kind: 'password',
          userId: id,
          passwordHash,
        });
      }
      case 'UserPasswordChanged': {
        const { id, passwordHash } = event.data;
        return col.upsert({
          _id: passwordCredentialId(id),
          kind: 'password',
          userId: id,
          passwordHash,
        });
      }
      case 'UserDeleted':
        await col.deleteMany({ userId: event.data.id });
        return;
      case 'ApplicationTokenCreated': {
        const { userId, tokenId, tokenHash, expiresAt } = event.data;
        return col.upsert({
          _id: tokenCredentialId(tokenHash),
          kind: 'token',
          userId,
          tokenId,
          expiresAt,
        });
      }
      case 'ApplicationTokenRevoked':
        // The revocation does not carry the hash, so find the credential by its token id.
        await col.deleteMany({
          kind: 'token',
          userId: event.data.userId,
          tokenId: event.data.tokenId,
        });
        return;
      default:
        return;
    }
  },
};
