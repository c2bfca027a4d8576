import type { Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import { diffFields, pick } from '../shared/fields';
import { UserErrors } from './user.errors';
import type { UserEvent } from './user.events';
import type { UserState } from './user';
import { evolveUser, initialUserState } from './user';
import {
  checkDisplayName,
  checkEmail,
  checkUsername,
  isLastEnabledAdmin,
  requireAdmin,
  requireAdminOrSelf,
  requireLiveUser,
} from './user.guards';
import type { CreateApplicationToken, RevokeApplicationToken } from './application-token.decide';
import { createApplicationToken, revokeApplicationToken } from './application-token.decide';

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
export type ChangePassword = Command<'ChangePassword', { passwordHash: string }>;
/** DisableUser blocks sign-in; enabledAdminIds comes from the read model to protect the last admin. */
export type DisableUser = Command<'DisableUser', { enabledAdminIds: number[] }>;
/** EnableUser re-allows sign-in. */
export type EnableUser = Command<'EnableUser', Record<string, never>>;
/** SetAdmin grants or revokes the admin flag (Portus toggle_admin!). */
export type SetAdmin = Command<'SetAdmin', { admin: boolean; enabledAdminIds: number[] }>;
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

const REGISTERED = ['id', 'username', 'email', 'displayName', 'passwordHash', 'admin', 'bot'] as const;
const PROFILE = ['username', 'email', 'displayName'] as const;

function registerUser(cmd: RegisterUser, state: UserState): UserEvent[] {
  const { data, metadata } = cmd;
  if (state.exists) throw UserErrors.exists(data.id);
  const actor = metadata.actor;
  if (actor !== null && !actor.admin && (data.admin || data.bot)) {
    throw UserErrors.forbidden('Only admins can create admins or bots');
  }
  if (data.bot && data.admin) throw UserErrors.botAdmin();
  checkUsername(data.username);
  checkEmail(data.email, data.passwordHash);
  checkDisplayName(data.displayName);
  const event = { ...pick(data, REGISTERED), at: metadata.now };
  return [{ type: 'UserRegistered', data: event }];
}

function updateUser({ data, metadata }: UpdateUser, state: UserState): UserEvent[] {
  requireLiveUser(state);
  const actor = metadata.actor;
  requireAdminOrSelf(actor, state);
  const { changes, previous, changed } = diffFields(PROFILE, data, state);
  if (changes.username !== undefined) {
    if (!actor.admin) throw UserErrors.usernameAdminOnly();
    checkUsername(changes.username);
  }
  if (changes.email !== undefined) checkEmail(changes.email, state.passwordHash);
  if (changes.displayName !== undefined) checkDisplayName(changes.displayName);
  if (!changed) return [];
  const event = { id: state.id, changes, previous, at: metadata.now };
  return [{ type: 'UserUpdated', data: event }];
}

function changePassword(cmd: ChangePassword, state: UserState): UserEvent[] {
  const { data, metadata } = cmd;
  requireLiveUser(state);
  requireAdminOrSelf(metadata.actor, state);
  if (data.passwordHash.length === 0) throw UserErrors.invalidPassword();
  const { passwordHash } = data;
  const event = { id: state.id, passwordHash, at: metadata.now };
  return [{ type: 'UserPasswordChanged', data: event }];
}

function disableUser({ data, metadata }: DisableUser, state: UserState): UserEvent[] {
  requireLiveUser(state);
  requireAdminOrSelf(metadata.actor, state);
  if (!state.enabled) return [];
  if (isLastEnabledAdmin(state, data.enabledAdminIds)) throw UserErrors.lastAdmin('be disabled');
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
  if (actor.id === state.id) throw UserErrors.selfAdminToggle();
  if (data.admin === state.admin) return [];
  const at = metadata.now;
  if (data.admin) {
    if (state.bot) throw UserErrors.botAdmin();
    return [{ type: 'UserAdminGranted', data: { id: state.id, at } }];
  }
  if (isLastEnabledAdmin(state, data.enabledAdminIds)) throw UserErrors.lastAdmin('lose the admin flag');
  return [{ type: 'UserAdminRevoked', data: { id: state.id, at } }];
}

function deleteUser({ data, metadata }: DeleteUser, state: UserState): UserEvent[] {
  requireLiveUser(state);
  const actor = metadata.actor;
  requireAdmin(actor, 'Only admins can delete users');
  if (actor.id === state.id) throw UserErrors.selfDelete();
  if (isLastEnabledAdmin(state, data.enabledAdminIds)) throw UserErrors.lastAdmin('be deleted');
  const event = { id: state.id, username: state.username, at: metadata.now };
  return [{ type: 'UserDeleted', data: event }];
}

/** decideUser routes a user command to its rule function. */
export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
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
