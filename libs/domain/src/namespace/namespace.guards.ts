import type { ActorRef } from '../shared/message';
import type { Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import { utf8Length } from '../shared/text';
import type { NamespaceState } from './namespace';
import { NamespaceErrors } from './namespace.errors';
import { NAMESPACE_DESCRIPTION_MAX_BYTES, validateNamespaceName } from './namespace.rules';

/** requireLiveNamespace refuses commands on a namespace that does not exist or was deleted. */
export function requireLiveNamespace(state: NamespaceState): void {
  if (!state.exists || state.deleted) throw NamespaceErrors.notFound();
}

/** isNamespaceManager is NamespacePolicy#update?/change_team?: admin, or manage_namespace and team owner. */
export const isNamespaceManager = (actor: ActorRef | null, actorRole: TeamRole | null, settings: Settings): boolean =>
  actor !== null && (actor.admin || (settings.userPermission.manageNamespace && actorRole === 'owner'));

/** requireNamespaceManager throws NAMESPACE.FORBIDDEN unless isNamespaceManager. */
export function requireNamespaceManager(actor: ActorRef | null, actorRole: TeamRole | null, settings: Settings): void {
  if (!isNamespaceManager(actor, actorRole, settings)) {
    throw NamespaceErrors.forbidden('You are not allowed to manage this namespace');
  }
}

/** canChangeVisibility is NamespacePolicy#change_visibility?: admin, or the option on, not global, and owner. */
export function canChangeVisibility(
  actor: ActorRef | null,
  actorRole: TeamRole | null,
  state: NamespaceState,
  settings: Settings,
): boolean {
  if (actor === null) return false;
  const { changeVisibility } = settings.userPermission;
  return actor.admin || (changeVisibility && state.kind !== 'global' && actorRole === 'owner');
}

/** checkNamespaceName throws NAMESPACE.INVALID_NAME with every broken rule in the message. */
export function checkNamespaceName(name: string): void {
  const errors = validateNamespaceName(name);
  if (errors.length > 0) throw NamespaceErrors.invalidName(errors.join('; '));
}

/** checkNamespaceDescription bounds the markdown description (64 KiB of UTF-8). */
export function checkNamespaceDescription(description: string): void {
  if (utf8Length(description) > NAMESPACE_DESCRIPTION_MAX_BYTES) throw NamespaceErrors.descriptionTooLong();
}
