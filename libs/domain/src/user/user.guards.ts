import type { ActorRef } from '../shared/message';
import { forbidden, notFound } from '../shared/domain-error';
import type { UserState } from './user';

/** requireLiveUser refuses commands on a user that was never registered or was deleted. */
export function requireLiveUser(state: UserState): void {
  if (!state.exists || state.deleted)
    throw notFound('USER.NOT_FOUND', 'User not found');
}

/** requireAdmin lets only Portus admins through; anonymous and system callers are not admins. */
export function requireAdmin(
  actor: ActorRef | null,
  message: string,
): asserts actor is ActorRef {
  if (actor === null || !actor.admin)
    throw forbidden('USER.FORBIDDEN', message);
}

/** requireAdminOrSelf lets admins act on anyone and users act on themselves. */
export function requireAdminOrSelf(
  actor: ActorRef | null,
  state: UserState,
): asserts actor is ActorRef {
  if (actor === null || (!actor.admin && actor.id !== state.id)) {
    throw forbidden(
      'USER.FORBIDDEN',
      'You are not allowed to change this user',
    );
  }
}

/** requireTokenManager is ApplicationTokenPolicy: the owner, or an admin when the user is a bot (Portus lets anyone create: we don't). */
export function requireTokenManager(
  actor: ActorRef | null,
  state: UserState,
): asserts actor is ActorRef {
  if (
    actor === null ||
    (actor.id !== state.id && !(actor.admin && state.bot))
  ) {
    throw forbidden(
      'TOKEN.FORBIDDEN',
      "You are not allowed to manage this user's application tokens",
    );
  }
}

/** isLastEnabledAdmin says whether removing this user's admin power would leave no enabled admin. */
export function isLastEnabledAdmin(
  state: UserState,
  enabledAdminIds: readonly number[],
): boolean {
  return (
    state.admin &&
    state.enabled &&
    enabledAdminIds.every((id) => id === state.id)
  );
}
