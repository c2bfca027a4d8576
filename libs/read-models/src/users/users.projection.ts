import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { Projection } from '../projection';
import { asProjectedEvent, evolveDocument, index } from '../projection';

/** UserDoc is a user as Portus's API shows it (`users` collection, `_id` = String(id)). */
export interface UserDoc extends Doc {
  id: number;
  username: string;
  email: string | null;
  display_name: string | null;
  admin: boolean;
  enabled: boolean;
  bot: boolean;
  /** namespace_id is the personal namespace, set by its NamespaceCreated. */
  namespace_id: number | null;
  /** locked_at: the last brute-force lock (it expires after lockout.unlock_after_minutes); null once unlocked. */
  locked_at?: string | null;
  /** unlocked_at: the last admin unlock, so an api replica can drop a lock it only knows in memory. */
  unlocked_at?: string | null;
  current_sign_in_at?: string | null;
  last_sign_in_at?: string | null;
  created_at: string;
  updated_at: string;
}

const users = Collections.users;

/** usersProjection maintains `users`; deleted users are removed. */
export const usersProjection: Projection = {
  name: 'users',
  collections: [users],
  indexes: {
    [users]: [index(users, 'username'), index(users, 'email'), index(users, 'namespace_id')],
  },
  canHandle: [
    'UserRegistered',
    'UserUpdated',
    'UserPasswordChanged',
    'UserDisabled',
    'UserEnabled',
    'UserAdminGranted',
    'UserAdminRevoked',
    'UserDeleted',
    'NamespaceCreated',
    'NamespaceDeleted',
    'UserLocked',
    'UserUnlocked',
    'SessionStarted',
  ],
  async apply(recorded, store) {
    const col = store.collection<UserDoc>(users);
    const event = asProjectedEvent(recorded);
    const change = (id: number, fn: (doc: UserDoc) => UserDoc) =>
      evolveDocument(col, String(id), (doc) => (doc ? fn(doc) : null));
    switch (event.type) {
      case 'UserRegistered': {
        const d = event.data;
        return evolveDocument(col, String(d.id), (doc) => ({
          _id: String(d.id),
          id: d.id,
          username: d.username,
          email: d.email,
          display_name: d.displayName,
          admin: d.admin,
          enabled: true,
          bot: d.bot,
          // On a replay the personal namespace may already be linked; keep it.
          namespace_id: doc?.namespace_id ?? null,
          created_at: d.at,
          updated_at: d.at,
        }));
      }
      case 'UserUpdated': {
        const { changes, at } = event.data;
        return change(event.data.id, (doc) => ({
          ...doc,
          ...(changes.username !== undefined && { username: changes.username }),
          ...(changes.email !== undefined && { email: changes.email }),
          ...(changes.displayName !== undefined && {
            display_name: changes.displayName,
          }),
          updated_at: at,
        }));
      }
      case 'UserPasswordChanged':
        return change(event.data.id, (doc) => ({
          ...doc,
          updated_at: event.data.at,
        }));
      case 'UserDisabled':
      case 'UserEnabled':
        return change(event.data.id, (doc) => ({
          ...doc,
          enabled: event.type === 'UserEnabled',
          updated_at: event.data.at,
        }));
      case 'UserAdminGranted':
      case 'UserAdminRevoked':
        return change(event.data.id, (doc) => ({
          ...doc,
          admin: event.type === 'UserAdminGranted',
          updated_at: event.data.at,
        }));
      case 'UserDeleted':
        return col.delete(String(event.data.id));
      case 'NamespaceCreated': {
        const { kind, ownerUserId, id } = event.data;
        if (kind !== 'personal' || ownerUserId === null) return;
        // Linking the namespace is not an edit of the user: updated_at stays.
        return change(ownerUserId, (doc) => ({ ...doc, namespace_id: id }));
      }
      // Sign-in and lock fields are not edits of the user: updated_at stays.
      case 'UserLocked':
        return change(event.data.userId, (doc) => ({ ...doc, locked_at: event.data.at }));
      case 'UserUnlocked':
        return change(event.data.userId, (doc) => ({ ...doc, locked_at: null, unlocked_at: event.data.at }));
      case 'SessionStarted': {
        const at = event.data.at;
        return change(event.data.userId, (doc) =>
          // Idempotent on replay: an already applied sign-in leaves the pair as it is.
          doc.current_sign_in_at !== undefined && doc.current_sign_in_at !== null && doc.current_sign_in_at >= at
            ? doc
            : { ...doc, last_sign_in_at: doc.current_sign_in_at ?? null, current_sign_in_at: at },
        );
      }
      case 'NamespaceDeleted': {
        const linked = await col.find({ namespace_id: event.data.id });
        for (const doc of linked) await col.upsert({ ...doc, namespace_id: null });
        return;
      }
      default:
        return;
    }
  },
};
