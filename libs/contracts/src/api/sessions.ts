import { z } from 'zod';
import { entity, timestamp } from './common';
import { UserEntity } from './users';

/** SessionRequest is the UI login form. Lengths are bounded so a huge password costs nothing. */
export const SessionRequest = z.object({ username: z.string().max(255), password: z.string().max(1024) }).strict();
export type SessionRequest = z.input<typeof SessionRequest>;

/** NewSessionEntity is the answer of POST /api/v1/sessions (the cookie itself is HttpOnly). */
export const NewSessionEntity = entity(
  'NewSessionEntity',
  'A started session: the user, the CSRF token unsafe requests carry, and when the session ends',
  z.strictObject({ user: UserEntity, csrf_token: z.string(), expires_at: timestamp() }),
);
export type NewSessionEntity = z.infer<typeof NewSessionEntity>;

/** SessionEntity is GET /api/v1/sessions/current: NewSessionEntity plus the idle expiry. */
export const SessionEntity = entity(
  'SessionEntity',
  'The current session, with its absolute and idle expiry',
  NewSessionEntity.extend({ idle_expires_at: timestamp() }),
);
export type SessionEntity = z.infer<typeof SessionEntity>;
