import type { ActorRef } from '../shared/message';
import type { PushPolicy, Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import type { NamespaceKind, Visibility } from './namespace.events';

/** NAMESPACE_NAME_PATTERN is Portus's Namespace::NAME_REGEXP, which is also the first path component docker accepts. */
export const NAMESPACE_NAME_PATTERN = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** NAMESPACE_NAME_MAX is Portus's limit (namespace_validator.rb). */
export const NAMESPACE_NAME_MAX = 255;

/** NAMESPACE_DESCRIPTION_MAX_BYTES bounds a markdown description so one row cannot bloat every listing. */
export const NAMESPACE_DESCRIPTION_MAX_BYTES = 64 * 1024;

/** VISIBILITIES lists the accepted visibility values; anything else is refused at the edge of the decider. */
export const VISIBILITIES: readonly Visibility[] = ['private', 'protected', 'public'];

/**
 * validateNamespaceName returns human messages, empty when the name is valid. `portus_global_namespace_<n>`
 * passes too (single underscores are separators); users never see it, Portus displays the registry hostname.
 */
export function validateNamespaceName(name: string): string[] {
  const errors: string[] = [];
  if (name.length === 0) return ["name can't be blank"];
  if (name.length > NAMESPACE_NAME_MAX) errors.push(`name is too long (max ${NAMESPACE_NAME_MAX})`);
  if (!NAMESPACE_NAME_PATTERN.test(name)) {
    errors.push(
      'name can only contain lower case alphanumeric characters, with optional underscores, dashes and dots in the middle',
    );
  }
  return errors;
}

/** NamespaceAccessView is the part of a namespace that pull/push decisions read. */
export interface NamespaceAccessView {
  readonly kind: NamespaceKind;
  readonly visibility: Visibility;
  readonly ownerUserId: number | null;
}

/**
 * namespaceCanPull is NamespacePolicy#pull? (portus-reference §2.1) without the `portus` user shortcut,
 * which the caller handles. `actorRole` is the actor's role in the namespace's team ('owner' for one's own personal namespace).
 */
export function namespaceCanPull(
  ns: Pick<NamespaceAccessView, 'visibility' | 'kind'>,
  actor: Pick<ActorRef, 'admin'> | null,
  actorRole: TeamRole | null,
): boolean {
  if (ns.visibility === 'public') return true;
  if (actor === null) return false;
  if (ns.visibility === 'protected') return true;
  return actor.admin || actorRole !== null;
}

const KNOWN_POLICIES: readonly PushPolicy[] = ['allow-teams', 'allow-personal', 'admin-only'];

/**
 * namespaceCanPush is NamespacePolicy#push?: it depends on the push policy, never on visibility.
 * An unknown policy denies everyone, admins included, as Portus does. Personal namespaces are matched on
 * ownerUserId rather than the team role, because the personal team is hidden and only ever holds its user.
 */
export function namespaceCanPush(
  actor: Pick<ActorRef, 'id' | 'admin'> | null,
  actorRole: TeamRole | null,
  ns: Pick<NamespaceAccessView, 'kind' | 'ownerUserId'>,
  settings: Pick<Settings, 'userPermission'>,
): boolean {
  const policy = settings.userPermission.pushImages;
  if (actor === null || !KNOWN_POLICIES.includes(policy)) return false;
  if (actor.admin) return true;
  const ownPersonal = ns.kind === 'personal' && ns.ownerUserId === actor.id;
  switch (policy) {
    case 'allow-teams':
      return ownPersonal || (ns.kind === 'team' && (actorRole === 'owner' || actorRole === 'contributor'));
    case 'allow-personal':
      return ownPersonal;
    case 'admin-only':
      return false;
    default:
      return false;
  }
}

/**
 * namespaceCanDelete is NamespacePolicy#all?/delete? for the registry scope: it ignores the push policy
 * (so under admin-only an owner can still delete) and allows the global namespace to admins.
 */
export function namespaceCanDelete(
  actor: Pick<ActorRef, 'admin'> | null,
  actorRole: TeamRole | null,
  settings: Pick<Settings, 'delete'>,
): boolean {
  if (actor === null || !settings.delete.enabled) return false;
  if (actor.admin || actorRole === 'owner') return true;
  return settings.delete.contributors && actorRole === 'contributor';
}
