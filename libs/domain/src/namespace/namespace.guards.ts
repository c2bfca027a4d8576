import type { ActorRef } from '../shared/message';
import type { Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import { forbidden, notFound, validation } from '../shared/domain-error';
import { utf8Length } from '../shared/text';
import type { NamespaceState } from './namespace';
import {
  NAMESPACE_DESCRIPTION_MAX_BYTES,
  validateNamespaceName,
} from './namespace.rules';

/** requireLiveNamespace refuses commands on a namespace that does not exist or was deleted. */
export function requireLiveNamespace(state: NamespaceState): void {
  if (!state.exists || state.deleted)
    throw notFound('NAMESPACE.NOT_FOUND', 'Namespace not found');
}

/** requireNamespaceManager is NamespacePolicy#update?/change_team?: admin, or manage_namespace and team owner. */
export function requireNamespaceManager(
  actor: ActorRef | null,
  actorRole: TeamRole | null,
  settings: Settings,
): void {
  const allowed =
    actor !== null &&
    (actor.admin ||
      (settings.userPermission.manageNamespace && actorRole === 'owner'));
  if (!allowed)
    throw forbidden(
      'NAMESPACE.FORBIDDEN',
      'You are not allowed to manage this namespace',
    );
}

/** checkNamespaceName throws NAMESPACE.INVALID_NAME with every broken rule in the message. */
export function checkNamespaceName(name: string): void {
  const errors = validateNamespaceName(name);
  if (errors.length > 0)
    throw validation('NAMESPACE.INVALID_NAME', errors.join('; '), 'name');
}

/** checkNamespaceDescription bounds the markdown description (64 KiB of UTF-8). */
export function checkNamespaceDescription(description: string): void {
  if (utf8Length(description) > NAMESPACE_DESCRIPTION_MAX_BYTES) {
    throw validation(
      'NAMESPACE.DESCRIPTION_TOO_LONG',
      'description is too long (max 64 KiB)',
      'description',
    );
  }
}
