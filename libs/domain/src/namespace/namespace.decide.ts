import type { Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import type { Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import {
  conflict,
  forbidden,
  illegalState,
  notFound,
  validation,
} from '../shared/domain-error';
import { globalNamespaceName } from '../registry/registry.rules';
import type {
  NamespaceEvent,
  NamespaceKind,
  Visibility,
} from './namespace.events';
import type { NamespaceState } from './namespace';
import { evolveNamespace, initialNamespaceState } from './namespace';
import {
  VISIBILITIES,
  namespaceCanDelete,
  namespaceCanPush,
} from './namespace.rules';
import {
  checkNamespaceDescription,
  checkNamespaceName,
  requireLiveNamespace,
  requireNamespaceManager,
} from './namespace.guards';

// `actorRole` is the actor's role in the namespace's current team, looked up by the handler
// ('owner' for the user of a personal namespace).

/** CreateNamespace makes a namespace; global and personal ones are created by the system. */
export type CreateNamespace = Command<
  'CreateNamespace',
  {
    id: number;
    name: string;
    kind: NamespaceKind;
    registryId: number;
    teamId: number;
    teamHidden: boolean;
    ownerUserId: number | null;
    description: string;
    actorRole: TeamRole | null;
    settings: Settings;
  }
>;
/** ChangeNamespaceVisibility switches private/protected/public. */
export type ChangeNamespaceVisibility = Command<
  'ChangeNamespaceVisibility',
  { visibility: Visibility; actorRole: TeamRole | null; settings: Settings }
>;
/** ChangeNamespaceTeam moves a team namespace to another team. */
export type ChangeNamespaceTeam = Command<
  'ChangeNamespaceTeam',
  {
    teamId: number;
    teamHidden: boolean;
    actorRole: TeamRole | null;
    actorRoleInNewTeam: TeamRole | null;
    settings: Settings;
  }
>;
/** ChangeNamespaceDescription changes the markdown description. */
export type ChangeNamespaceDescription = Command<
  'ChangeNamespaceDescription',
  { description: string; actorRole: TeamRole | null; settings: Settings }
>;
/** RenameNamespace renames a team namespace; like Portus, images in the registry are not moved. */
export type RenameNamespace = Command<
  'RenameNamespace',
  { name: string; actorRole: TeamRole | null; settings: Settings }
>;
/** DeleteNamespace removes a namespace; repositories are cleaned up by a reactor. */
export type DeleteNamespace = Command<
  'DeleteNamespace',
  { actorRole: TeamRole | null; settings: Settings }
>;

/** NamespaceCommand is every command the namespace decider accepts. */
export type NamespaceCommand =
  | CreateNamespace
  | ChangeNamespaceVisibility
  | ChangeNamespaceTeam
  | ChangeNamespaceDescription
  | RenameNamespace
  | DeleteNamespace;

const KINDS: readonly NamespaceKind[] = ['global', 'personal', 'team'];
const teamNotFound = () =>
  notFound('NAMESPACE.TEAM_NOT_FOUND', 'Team not found');

function checkCreateInput({ data }: CreateNamespace): void {
  if (!KINDS.includes(data.kind))
    throw validation(
      'NAMESPACE.INVALID_KIND',
      'unknown namespace kind',
      'kind',
    );
  checkNamespaceName(data.name);
  // NOTE: the global namespace's name is fixed by Portus; users see the registry hostname instead.
  const globalName = globalNamespaceName(data.registryId);
  if (data.kind === 'global' && data.name !== globalName) {
    throw validation(
      'NAMESPACE.INVALID_NAME',
      `the global namespace must be named ${globalName}`,
      'name',
    );
  }
  if (data.kind === 'personal' && data.ownerUserId === null) {
    throw validation(
      'NAMESPACE.OWNER_REQUIRED',
      'a personal namespace needs its user',
      'ownerUserId',
    );
  }
  checkNamespaceDescription(data.description);
}

function checkCreatePermission({ data, metadata }: CreateNamespace): void {
  const actor = metadata.actor;
  if (actor === null)
    throw forbidden(
      'NAMESPACE.FORBIDDEN',
      'You must be signed in to create a namespace',
    );
  if (data.teamHidden) throw teamNotFound();
  const mayCreate = actor.admin || data.settings.userPermission.createNamespace;
  const mayPush = namespaceCanPush(
    actor,
    data.actorRole,
    { kind: 'team', ownerUserId: null },
    data.settings,
  );
  if (!mayCreate || !mayPush) {
    throw forbidden(
      'NAMESPACE.CREATE_FORBIDDEN',
      'You are not allowed to create a namespace in this team',
    );
  }
}

function createNamespace(
  command: CreateNamespace,
  state: NamespaceState,
): NamespaceEvent[] {
  const { data, metadata } = command;
  if (state.exists)
    throw conflict('NAMESPACE.EXISTS', `Namespace ${data.id} already exists`);
  checkCreateInput(command);
  if (data.kind === 'team') checkCreatePermission(command);
  const { id, name, kind, registryId, teamId, description } = data;
  const ownerUserId = kind === 'personal' ? data.ownerUserId : null;
  const visibility: Visibility = kind === 'global' ? 'public' : 'private';
  const event = {
    id,
    name,
    kind,
    registryId,
    teamId,
    ownerUserId,
    description,
    visibility,
    at: metadata.now,
  };
  return [{ type: 'NamespaceCreated', data: event }];
}

function changeVisibility(
  { data, metadata }: ChangeNamespaceVisibility,
  state: NamespaceState,
): NamespaceEvent[] {
  requireLiveNamespace(state);
  if (!VISIBILITIES.includes(data.visibility)) {
    throw validation(
      'NAMESPACE.INVALID_VISIBILITY',
      'visibility must be private, protected or public',
      'visibility',
    );
  }
  const actor = metadata.actor;
  const { changeVisibility: enabled } = data.settings.userPermission;
  const allowed =
    actor !== null &&
    (actor.admin ||
      (enabled && state.kind !== 'global' && data.actorRole === 'owner'));
  if (!allowed)
    throw forbidden(
      'NAMESPACE.FORBIDDEN',
      'You are not allowed to change the visibility',
    );
  if (state.kind === 'global' && data.visibility === 'private') {
    throw illegalState(
      'NAMESPACE.GLOBAL_PRIVATE',
      'The global namespace cannot be private',
    );
  }
  if (data.visibility === state.visibility) return [];
  const event = {
    id: state.id,
    old: state.visibility,
    new: data.visibility,
    at: metadata.now,
  };
  return [{ type: 'NamespaceVisibilityChanged', data: event }];
}

function changeTeam(
  { data, metadata }: ChangeNamespaceTeam,
  state: NamespaceState,
): NamespaceEvent[] {
  requireLiveNamespace(state);
  const actor = metadata.actor;
  requireNamespaceManager(actor, data.actorRole, data.settings);
  if (state.kind !== 'team')
    throw illegalState(
      'NAMESPACE.TEAM_LOCKED',
      `A ${state.kind} namespace cannot change team`,
    );
  if (data.teamHidden) throw teamNotFound();
  // NOTE: stricter than Portus: a non-admin may only move a namespace into a team where he can write.
  const role = data.actorRoleInNewTeam;
  if (!actor?.admin && role !== 'owner' && role !== 'contributor') {
    throw forbidden(
      'NAMESPACE.NEW_TEAM_FORBIDDEN',
      'You can only move a namespace into a team you contribute to',
    );
  }
  if (data.teamId === state.teamId) return [];
  return [
    {
      type: 'NamespaceTeamChanged',
      data: {
        id: state.id,
        old: state.teamId,
        new: data.teamId,
        at: metadata.now,
      },
    },
  ];
}

function changeDescription(
  { data, metadata }: ChangeNamespaceDescription,
  state: NamespaceState,
): NamespaceEvent[] {
  requireLiveNamespace(state);
  requireNamespaceManager(metadata.actor, data.actorRole, data.settings);
  checkNamespaceDescription(data.description);
  if (data.description === state.description) return [];
  const event = {
    id: state.id,
    old: state.description,
    new: data.description,
    at: metadata.now,
  };
  return [{ type: 'NamespaceDescriptionChanged', data: event }];
}

function renameNamespace(
  { data, metadata }: RenameNamespace,
  state: NamespaceState,
): NamespaceEvent[] {
  requireLiveNamespace(state);
  requireNamespaceManager(metadata.actor, data.actorRole, data.settings);
  if (state.kind !== 'team')
    throw illegalState(
      'NAMESPACE.NAME_LOCKED',
      `A ${state.kind} namespace cannot be renamed`,
    );
  checkNamespaceName(data.name);
  if (data.name === state.name) return [];
  return [
    {
      type: 'NamespaceRenamed',
      data: { id: state.id, old: state.name, new: data.name, at: metadata.now },
    },
  ];
}

function deleteNamespace(
  { data, metadata }: DeleteNamespace,
  state: NamespaceState,
): NamespaceEvent[] {
  requireLiveNamespace(state);
  if (!data.settings.delete.enabled)
    throw forbidden(
      'NAMESPACE.DELETE_DISABLED',
      'Deleting namespaces is disabled',
    );
  if (state.kind === 'global')
    throw forbidden(
      'NAMESPACE.GLOBAL_NOT_DELETABLE',
      'The global namespace cannot be deleted',
    );
  if (!namespaceCanDelete(metadata.actor, data.actorRole, data.settings)) {
    throw forbidden(
      'NAMESPACE.FORBIDDEN',
      'You are not allowed to delete this namespace',
    );
  }
  if (state.kind === 'personal')
    throw illegalState(
      'NAMESPACE.PERSONAL_NOT_DELETABLE',
      'Cannot remove personal namespace',
    );
  const { id, name, teamId, registryId } = state;
  return [
    {
      type: 'NamespaceDeleted',
      data: { id, name, teamId, registryId, at: metadata.now },
    },
  ];
}

/** decideNamespace routes a namespace command to its rule function. */
export function decideNamespace(
  command: NamespaceCommand,
  state: NamespaceState,
): NamespaceEvent[] {
  switch (command.type) {
    case 'CreateNamespace':
      return createNamespace(command, state);
    case 'ChangeNamespaceVisibility':
      return changeVisibility(command, state);
    case 'ChangeNamespaceTeam':
      return changeTeam(command, state);
    case 'ChangeNamespaceDescription':
      return changeDescription(command, state);
    case 'RenameNamespace':
      return renameNamespace(command, state);
    case 'DeleteNamespace':
      return deleteNamespace(command, state);
    default:
      return assertNever(command);
  }
}

/** namespaceDecider is the namespace aggregate as one emmett-shaped object. */
export const namespaceDecider: Decider<
  NamespaceState,
  NamespaceCommand,
  NamespaceEvent
> = {
  decide: decideNamespace,
  evolve: evolveNamespace,
  initialState: initialNamespaceState,
};
