import type { UserEvent } from './user.events';
import { assertNever } from '../shared/message';

/** ApplicationTokenState is one token as the user stream remembers it; the plain token is never known. */
export interface ApplicationTokenState {
  readonly tokenId: number;
  readonly application: string;
  readonly tokenHash: string;
  readonly expiresAt: string | null;
}

/** UserState is what user deciders need; profile fields are kept to compute UserUpdated's `previous`. */
export interface UserState {
  readonly exists: boolean;
  readonly id: number;
  readonly username: string;
  readonly email: string | null;
  readonly displayName: string | null;
  readonly passwordHash: string | null;
  readonly admin: boolean;
  readonly enabled: boolean;
  readonly bot: boolean;
  readonly deleted: boolean;
  readonly tokens: readonly ApplicationTokenState[];
}

/** userStreamId names the stream that holds a user and their application tokens. */
export const userStreamId = (id: number): string => `user-${id}`;

/** initialUserState is the state of a stream with no events. */
export const initialUserState = (): UserState => ({
  exists: false,
  id: 0,
  username: '',
  email: null,
  displayName: null,
  passwordHash: null,
  admin: false,
  enabled: false,
  bot: false,
  deleted: false,
  tokens: [],
});

/** evolveUser applies one user event; it never validates, events are facts. */
export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered': {
      const { at: _at, ...d } = event.data;
      return { ...initialUserState(), ...d, exists: true, enabled: true };
    }
    case 'UserUpdated':
      return { ...state, ...event.data.changes };
    case 'UserPasswordChanged':
      return { ...state, passwordHash: event.data.passwordHash };
    case 'UserDisabled':
      return { ...state, enabled: false };
    case 'UserEnabled':
      return { ...state, enabled: true };
    case 'UserAdminGranted':
      return { ...state, admin: true };
    case 'UserAdminRevoked':
      return { ...state, admin: false };
    case 'UserDeleted':
      return { ...state, deleted: true };
    case 'ApplicationTokenCreated': {
      const { tokenId, application, tokenHash, expiresAt } = event.data;
      return {
        ...state,
        tokens: [...state.tokens, { tokenId, application, tokenHash, expiresAt }],
      };
    }
    case 'ApplicationTokenRevoked':
      return {
        ...state,
        tokens: state.tokens.filter((t) => t.tokenId !== event.data.tokenId),
      };
    default:
      return assertNever(event);
  }
}

/** userCanLogin is the sign-in gate shared by the web login, docker login and the token endpoint. */
export const userCanLogin = (state: UserState): boolean => state.exists && !state.deleted && state.enabled;
