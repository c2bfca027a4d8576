import type { Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import {
  conflict,
  forbidden,
  illegalState,
  validation,
} from '../shared/domain-error';
import { hasControlChars } from '../shared/text';
import type { UserEvent } from './user.events';
import type { UserState } from './user';
import { evolveUser, initialUserState } from './user';
import { validateEmail, validateUsername } from './user.rules';
import {
  isLastEnabledAdmin,
  requireAdmin,
  requireAdminOrSelf,
  requireLiveUser,
} from './user.guards';
import type {
  CreateApplicationToken,
  RevokeApplicationToken,
} from './application-token.decide';
import {
  createApplicationToken,
  revokeApplicationToken,
} from './application-token.decide';

/** RegisterUser creates a user; who may do it (bootstrap, sign-up, admin) is checked by the handler. */
export type RegisterUser = Command<
  'RegisterUser',
  {
    id: number;
    username: string;
    email: string | null;
    displayName: string | null;
    passwordHash: string | null;
    admin: boolean;
    bot: boolean;
  }
>;
/** UpdateUser changes profile fields; absent fields are left alone. */
export type UpdateUser = Command<
  'UpdateUser',
  { username?: string; email?: string | null; displayName?: string | null }
>;
/** ChangePassword stores a new hash computed by the caller (hashing is I/O-free but slow, so it stays out). */
export type ChangePassword = Command<
  'ChangePassword',
  { passwordHash: string }
>;
/** DisableUser blocks sign-in; enabledAdminIds comes from the read model to protect the last admin. */
export type DisableUser = Command<'DisableUser', { enabledAdminIds: number[] }>;
/** EnableUser re-allows sign-in. */
export type EnableUser = Command<'EnableUser', Record<string, never>>;
/** SetAdmin grants or revokes the admin flag (Portus toggle_admin!). */
export type SetAdmin = Command<
  'SetAdmin',
  { admin: boolean; enabledAdminIds: number[] }
>;
/** DeleteUser removes a user; their namespace and team stay (Portus quirk, kept). */
export type DeleteUser = Command<'DeleteUser', { enabledAdminIds: number[] }>;
/** UserCommand is every command the user decider accepts. */
export type UserCommand =
  | RegisterUser
  | UpdateUser
  | ChangePassword
  | DisableUser
  | EnableUser
  | SetAdmin
  | DeleteUser
  | CreateApplicationToken
  | RevokeApplicationToken;

const firstError = (code: string, field: string, errors: string[]) => {
  if (errors.length > 0) throw validation(code, errors.join('; '), field);
};

function checkEmail(email: string | null, passwordHash: string | null): void {
  // NOTE: only LDAP-created users (no local password) may lack an email, as in Portus.
  if (email === null) {
    if (passwordHash !== null)
      throw validation('USER.INVALID_EMAIL', "email can't be blank", 'email');
    return;
  }
  firstError('USER.INVALID_EMAIL', 'email', validateEmail(email));
}

function checkDisplayName(displayName: string | null): void {
  if (
    displayName !== null &&
    (displayName.length > 255 || hasControlChars(displayName))
  ) {
    throw validation(
      'USER.INVALID_DISPLAY_NAME',
      'display name is invalid (max 255, no control characters)',
      'displayName',
    );
  }
}

function registerUser(
  { data, metadata }: RegisterUser,
  state: UserState,
): UserEvent[] {
  if (state.exists)
    throw conflict('USER.EXISTS', `User ${data.id} already exists`);
  const actor = metadata.actor;
  if (actor !== null && !actor.admin && (data.admin || data.bot)) {
    throw forbidden('USER.FORBIDDEN', 'Only admins can create admins or bots');
  }
  if (data.bot && data.admin)
    throw validation('USER.BOT_ADMIN', 'A bot cannot be an admin', 'admin');
  firstError(
    'USER.INVALID_USERNAME',
    'username',
    validateUsername(data.username),
  );
  checkEmail(data.email, data.passwordHash);
  checkDisplayName(data.displayName);
  const { id, username, email, displayName, passwordHash, admin, bot } = data;
  const event = {
    id,
    username,
    email,
    displayName,
    passwordHash,
    admin,
    bot,
    at: metadata.now,
  };
  return [{ type: 'UserRegistered', data: event }];
}

type Profile = {
  username?: string;
  email?: string | null;
  displayName?: string | null;
};

function updateUser(
  { data, metadata }: UpdateUser,
  state: UserState,
): UserEvent[] {
  requireLiveUser(state);
  const actor = metadata.actor;
  requireAdminOrSelf(actor, state);
  const changes: Profile = {};
  const previous: Profile = {};
  if (data.username !== undefined && data.username !== state.username) {
    if (!actor.admin)
      throw forbidden(
        'USER.USERNAME_ADMIN_ONLY',
        'Only admins can change a username',
      );
    firstError(
      'USER.INVALID_USERNAME',
      'username',
      validateUsername(data.username),
    );
    [changes.username, previous.username] = [data.username, state.username];
  }
  if (data.email !== undefined && data.email !== state.email) {
    checkEmail(data.email, state.passwordHash);
    [changes.email, previous.email] = [data.email, state.email];
  }
  if (
    data.displayName !== undefined &&
    data.displayName !== state.displayName
  ) {
    checkDisplayName(data.displayName);
    [changes.displayName, previous.displayName] = [
      data.displayName,
      state.displayName,
    ];
  }
  if (Object.keys(changes).length === 0) return [];
  return [
    {
      type: 'UserUpdated',
      data: { id: state.id, changes, previous, at: metadata.now },
    },
  ];
}

function changePassword(
  { data, metadata }: ChangePassword,
  state: UserState,
): UserEvent[] {
  requireLiveUser(state);
  requireAdminOrSelf(metadata.actor, state);
  if (data.passwordHash.length === 0)
    throw validation(
      'USER.INVALID_PASSWORD',
      "password can't be blank",
      'password',
    );
  return [
    {
      type: 'UserPasswordChanged',
      data: { id: state.id, passwordHash: data.passwordHash, at: metadata.now },
    },
  ];
}

function disableUser(
  { data, metadata }: DisableUser,
  state: UserState,
): UserEvent[] {
  requireLiveUser(state);
  requireAdminOrSelf(metadata.actor, state);
  if (!state.enabled) return [];
  if (isLastEnabledAdmin(state, data.enabledAdminIds)) {
    throw illegalState(
      'USER.LAST_ADMIN',
      'The last enabled admin cannot be disabled',
    );
  }
  return [{ type: 'UserDisabled', data: { id: state.id, at: metadata.now } }];
}

function enableUser({ metadata }: EnableUser, state: UserState): UserEvent[] {
  requireLiveUser(state);
  requireAdmin(metadata.actor, 'Only admins can enable users');
  if (state.enabled) return [];
  return [{ type: 'UserEnabled', data: { id: state.id, at: metadata.now } }];
}

function setAdmin({ data, metadata }: SetAdmin, state: UserState): UserEvent[] {
  requireLiveUser(state);
  const actor = metadata.actor;
  requireAdmin(actor, 'Only admins can change the admin flag');
  if (actor.id === state.id)
    throw forbidden(
      'USER.SELF_ADMIN_TOGGLE',
      'You cannot change your own admin flag',
    );
  if (data.admin === state.admin) return [];
  const at = metadata.now;
  if (data.admin) {
    if (state.bot)
      throw validation('USER.BOT_ADMIN', 'A bot cannot be an admin', 'admin');
    return [{ type: 'UserAdminGranted', data: { id: state.id, at } }];
  }
  if (isLastEnabledAdmin(state, data.enabledAdminIds)) {
    throw illegalState(
      'USER.LAST_ADMIN',
      'The last enabled admin cannot lose the admin flag',
    );
  }
  return [{ type: 'UserAdminRevoked', data: { id: state.id, at } }];
}

function deleteUser(
  { data, metadata }: DeleteUser,
  state: UserState,
): UserEvent[] {
  requireLiveUser(state);
  const actor = metadata.actor;
  requireAdmin(actor, 'Only admins can delete users');
  if (actor.id === state.id)
    throw illegalState('USER.SELF_DELETE', 'You cannot delete yourself');
  if (isLastEnabledAdmin(state, data.enabledAdminIds)) {
    throw illegalState(
      'USER.LAST_ADMIN',
      'The last enabled admin cannot be deleted',
    );
  }
  return [
    {
      type: 'UserDeleted',
      data: { id: state.id, username: state.username, at: metadata.now },
    },
  ];
}

/** decideUser routes a user command to its rule function. */
export function decideUser(
  command: UserCommand,
  state: UserState,
): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser':
      return registerUser(command, state);
    case 'UpdateUser':
      return updateUser(command, state);
    case 'ChangePassword':
      return changePassword(command, state);
    case 'DisableUser':
      return disableUser(command, state);
    case 'EnableUser':
      return enableUser(command, state);
    case 'SetAdmin':
      return setAdmin(command, state);
    case 'DeleteUser':
      return deleteUser(command, state);
    case 'CreateApplicationToken':
      return createApplicationToken(command, state);
    case 'RevokeApplicationToken':
      return revokeApplicationToken(command, state);
    default:
      return assertNever(command);
  }
}

/** userDecider is the user aggregate as one emmett-shaped object. */
export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  decide: decideUser,
  evolve: evolveUser,
  initialState: initialUserState,
};
