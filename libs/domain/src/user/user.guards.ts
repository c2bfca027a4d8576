import type { ActorRef } from '../shared/message';
import { hasControlChars } from '../shared/text';
import type { UserState } from './user';
import { UserErrors } from './user.errors';
import { validateEmail, validateUsername } from './user.rules';

/** requireLiveUser refuses commands on a user that was never registered or was deleted. */
export function requireLiveUser(state: UserState): void {
  if (!state.exists || state.deleted) throw UserErrors.notFound();
}

/** requireAdmin lets only Portus admins through; anonymous and system callers are not admins. */
export function requireAdmin(actor: ActorRef | null, message: string): asserts actor is ActorRef {
  if (actor === null || !actor.admin) throw UserErrors.forbidden(message);
}

/** requireAdminOrSelf lets admins act on anyone and users act on themselves. */
export function requireAdminOrSelf(actor: ActorRef | null, state: UserState): asserts actor is ActorRef {
  if (actor === null || (!actor.admin && actor.id !== state.id)) {
    throw UserErrors.forbidden('You are not allowed to change this user');
  }
}

/** requireTokenManager is ApplicationTokenPolicy: the owner, or an admin when the user is a bot (Portus lets anyone create: we don't). */
export function requireTokenManager(actor: ActorRef | null, state: UserState): asserts actor is ActorRef {
  if (actor === null || (actor.id !== state.id && !(actor.admin && state.bot))) throw UserErrors.tokenForbidden();
}

/** isLastEnabledAdmin says whether removing this user's admin power would leave no enabled admin. */
export function isLastEnabledAdmin(state: UserState, enabledAdminIds: readonly number[]): boolean {
  return state.admin && state.enabled && enabledAdminIds.every((id) => id === state.id);
}

/** checkUsername throws USER.INVALID_USERNAME with every broken rule. */
export function checkUsername(username: string): void {
  const errors = validateUsername(username);
  if (errors.length > 0) throw UserErrors.invalidUsername(errors.join('; '));
}

/** checkEmail validates an address; only LDAP-created users (no local password) may lack one, as in Portus. */
export function checkEmail(email: string | null, passwordHash: string | null): void {
  const errors = email === null ? (passwordHash === null ? [] : ["email can't be blank"]) : validateEmail(email);
  if (errors.length > 0) throw UserErrors.invalidEmail(errors.join('; '));
}

/** checkDisplayName bounds the optional display name (255, no control characters). */
export function checkDisplayName(displayName: string | null): void {
  if (displayName !== null && (displayName.length > 255 || hasControlChars(displayName))) {
    throw UserErrors.invalidDisplayName();
  }
}
