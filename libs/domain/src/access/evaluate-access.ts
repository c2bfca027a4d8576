import type { Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import type { NamespaceKind, Visibility } from '../namespace/namespace.events';
import {
  NAMESPACE_NAME_PATTERN,
  namespaceCanDelete,
  namespaceCanPull,
  namespaceCanPush,
} from '../namespace/namespace.rules';
import { REPOSITORY_PATH, SCOPE_NAME_MAX, type ResourceScope } from './scope';

/** AccessActor is who asks: null for anonymous, else the authenticated user's id and admin flag. */
export type AccessActor = { readonly id: number; readonly admin: boolean } | null;

/** NamespaceFacts is what the decision needs to know about one namespace, read from the read models by the caller. */
export type NamespaceFacts =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly kind: NamespaceKind;
      readonly visibility: Visibility;
      readonly ownerUserId: number | null;
      /** actorRole is the actor's role in the namespace's team (null: none, or anonymous). */
      readonly actorRole: TeamRole | null;
    };

/** GLOBAL_NAMESPACE keys the registry's global namespace (repositories without a `/`) in AccessInput.namespaces. */
export const GLOBAL_NAMESPACE = null;

/** AccessInput is everything evaluateAccess reads; the caller gathers it, the function does no I/O. */
export interface AccessInput {
  readonly actor: AccessActor;
  /** serviceKnown: the request's `service` names the registry (hostname or external hostname). */
  readonly serviceKnown: boolean;
  /** scopes are the requested resources, merged (mergeScopes). */
  readonly scopes: readonly ResourceScope[];
  /** namespaces maps namespaceOfRepository(name) to its facts; a missing key means the namespace does not exist. */
  readonly namespaces: ReadonlyMap<string | null, NamespaceFacts>;
  readonly settings: Pick<Settings, 'delete' | 'userPermission' | 'namespace'>;
}

/** Grant is one entry of the JWT `access` claim: type, name and the granted actions, sorted, never empty. */
export interface Grant {
  readonly type: 'repository' | 'registry';
  readonly name: string;
  readonly actions: readonly string[];
}

/** AccessDecision is the grant, plus the namespaces a push may create (namespace.auto_create_on_push). */
export interface AccessDecision {
  /** access is null when the claim is left out: a known service and no scope asked for (a `docker login`). */
  readonly access: readonly Grant[] | null;
  /** autoCreate lists unknown namespaces the actor was granted push into; the caller creates them. */
  readonly autoCreate: readonly string[];
}

/**
 * namespaceOfRepository: `a/b` and `a/b/c` live in namespace `a`; a name without `/` in the global
 * namespace (GLOBAL_NAMESPACE), as in Portus.
 */
export function namespaceOfRepository(name: string): string | null {
  const slash = name.indexOf('/');
  return slash < 0 ? GLOBAL_NAMESPACE : name.slice(0, slash);
}

/** isRepositoryName: the registry's own path grammar (lowercase components, no hostname), at most 255 characters. */
export const isRepositoryName = (name: string): boolean => name.length <= SCOPE_NAME_MAX && REPOSITORY_PATH.test(name);

type Action = 'pull' | 'push' | 'delete' | '*';

/**
 * evaluateAccess decides the token's `access` claim (portus-reference §2.1–2.2). Each requested action
 * is checked on its own and the grant is requested ∩ allowed, so `*,pull` never smuggles `pull` past a
 * refused `*` (Portus's quirk, scenario 17). `*` means every action to the registry, so it is granted
 * only to whom pull, push and delete are all allowed; `delete` alone is the delete right. Unknown
 * types, actions and resources are dropped; resources left with no action are left out.
 */
export function evaluateAccess(input: AccessInput): AccessDecision {
  if (!input.serviceKnown) return { access: [], autoCreate: [] };
  if (input.scopes.length === 0) return { access: null, autoCreate: [] };
  const access: Grant[] = [];
  const autoCreate = new Set<string>();
  for (const scope of input.scopes) {
    const granted =
      scope.type === 'registry' ? catalogActions(scope, input.actor) : repositoryActions(scope, input, autoCreate);
    if (granted.length > 0)
      access.push({ type: scope.type as Grant['type'], name: scope.name, actions: [...granted].sort() });
  }
  return { access, autoCreate: [...autoCreate] };
}

/** catalogActions: `registry:catalog:*` is for admins only (RegistryPolicy#all?); nothing else under `registry`. */
function catalogActions(scope: ResourceScope, actor: AccessActor): Action[] {
  return scope.name === 'catalog' && actor?.admin === true && scope.actions.includes('*') ? ['*'] : [];
}

function repositoryActions(scope: ResourceScope, input: AccessInput, autoCreate: Set<string>): Action[] {
  if (scope.type !== 'repository' || !isRepositoryName(scope.name)) return [];
  const ns = namespaceOfRepository(scope.name);
  if (ns !== GLOBAL_NAMESPACE && !NAMESPACE_NAME_PATTERN.test(ns)) return [];
  const facts = input.namespaces.get(ns) ?? { exists: false };
  const requested = scope.actions.filter((a): a is Action => ['pull', 'push', 'delete', '*'].includes(a));
  if (!facts.exists) {
    // NOTE: Portus let admins push into a namespace it did not know and then ignored the events (#2191).
    // Here nobody may, unless the namespace is created for the pusher, who then owns it (pull and push).
    if (ns === GLOBAL_NAMESPACE || !requested.includes('push') || !mayAutoCreate(input)) return [];
    autoCreate.add(ns);
    return requested.filter((a) => a === 'pull' || a === 'push');
  }
  const { actor, settings } = input;
  const pull = namespaceCanPull(facts, actor, facts.actorRole);
  const push = namespaceCanPush(actor, facts.actorRole, facts, settings);
  const del = namespaceCanDelete(actor, facts.actorRole, settings);
  const allowed: Record<Action, boolean> = { pull, push, delete: del, '*': pull && push && del };
  return requested.filter((a) => allowed[a]);
}

/**
 * mayAutoCreate: the setting is on and the actor could create the namespace and then push into it
 * (a new namespace is a team namespace the actor owns, which only allow-teams lets a non-admin push to).
 */
function mayAutoCreate({ actor, settings }: AccessInput): boolean {
  if (!settings.namespace.autoCreateOnPush || actor === null) return false;
  // An unknown policy denies every push (namespaceCanPush), so it creates nothing either.
  if (actor.admin) return ['allow-teams', 'allow-personal', 'admin-only'].includes(settings.userPermission.pushImages);
  return settings.userPermission.createNamespace && settings.userPermission.pushImages === 'allow-teams';
}
