import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { Projection } from '../projection';
import { asProjectedEvent, evolveDocument, index } from '../projection';

/**
 * SessionDoc is one live UI session (`sessions`, `_id` = SHA-256 hex of the cookie secret), looked up on
 * every cookie-authenticated request. Expiry is checked by the api against its clock (a projection has
 * no time of its own); revocation deletes the document.
 */
export interface SessionDoc extends Doc {
  session_id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

const sessions = Collections.sessions;

/** sessionsProjection: started sessions, gone on logout and when the user is disabled, deleted or changes password. */
export const sessionsProjection: Projection = {
  name: 'sessions',
  collections: [sessions],
  indexes: { [sessions]: [index(sessions, 'user_id'), index(sessions, 'session_id')] },
  canHandle: ['SessionStarted', 'SessionTouched', 'SessionEnded', 'UserDisabled', 'UserDeleted', 'UserPasswordChanged'],
  async apply(recorded, store) {
    const col = store.collection<SessionDoc>(sessions);
    const event = asProjectedEvent(recorded);
    switch (event.type) {
      case 'SessionStarted': {
        const { tokenHash, sessionId, userId, expiresAt, at } = event.data;
        return col.upsert({
          _id: tokenHash,
          session_id: sessionId,
          user_id: userId,
          created_at: at,
          expires_at: expiresAt,
          last_seen_at: at,
        });
      }
      case 'SessionTouched': {
        const found = await col.findOne({ session_id: event.data.sessionId });
        if (!found) return;
        const at = event.data.at;
        return evolveDocument(col, found._id, (doc) =>
          doc && doc.last_seen_at < at ? { ...doc, last_seen_at: at } : doc,
        );
      }
      case 'SessionEnded':
        await col.deleteMany({ session_id: event.data.sessionId });
        return;
      case 'UserDisabled':
      case 'UserDeleted':
      case 'UserPasswordChanged':
        // Revocation is by event order: sessions started after the change are not touched.
        await col.deleteMany({ user_id: event.data.id });
        return;
      default:
        return;
    }
  },
};
