import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { Projection } from '../projection';
import { asProjectedEvent, evolveDocument, index } from '../projection';

/** ApplicationTokenDoc is a token's metadata (`application_tokens`, `_id` = String(id)); never its hash. */
export interface ApplicationTokenDoc extends Doc {
  id: number;
  user_id: number;
  application: string;
  expires_at: string | null;
  /** last_used_at is written off the request path, at most once a minute per token (a hint, not an audit). */
  last_used_at?: string | null;
  created_at: string;
}

const tokens = Collections.applicationTokens;

/** applicationTokensProjection maintains `application_tokens`; revoked tokens and deleted users' go. */
export const applicationTokensProjection: Projection = {
  name: 'application_tokens',
  collections: [tokens],
  indexes: { [tokens]: [index(tokens, 'user_id')] },
  canHandle: ['ApplicationTokenCreated', 'ApplicationTokenRevoked', 'UserDeleted', 'ApplicationTokenUsed'],
  async apply(recorded, store) {
    const col = store.collection<ApplicationTokenDoc>(tokens);
    const event = asProjectedEvent(recorded);
    switch (event.type) {
      case 'ApplicationTokenCreated': {
        const { tokenId, userId, application, expiresAt, at } = event.data;
        return col.upsert({
          _id: String(tokenId),
          id: tokenId,
          user_id: userId,
          application,
          expires_at: expiresAt,
          created_at: at,
        });
      }
      case 'ApplicationTokenRevoked':
        return col.delete(String(event.data.tokenId));
      case 'UserDeleted':
        await col.deleteMany({ user_id: event.data.id });
        return;
      case 'ApplicationTokenUsed': {
        const at = event.data.at;
        return evolveDocument(col, String(event.data.tokenId), (doc) =>
          doc && !(doc.last_used_at && doc.last_used_at >= at) ? { ...doc, last_used_at: at } : doc,
        );
      }
      default:
        return;
    }
  },
};
