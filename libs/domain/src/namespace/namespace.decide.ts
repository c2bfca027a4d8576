import type { Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import type { Settings } from '../settings/settings';
import type { TeamRole } from '../team/team.events';
import { NamespaceErrors } from './namespace.errors';
import { globalNamespaceName } from '../registry/registry.rules';
import type { NamespaceEvent, NamespaceKind, Visibility } from './namespace.events';
import type { NamespaceState } from './namespace';
import { evolveNamespace, initialNamespaceState } from './namespace';
import { VISIBILITIES, namespaceCanDelete, namespaceCanPush } from './namespace.rules';
import {
  canChangeVisibility,
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
export type DeleteNamespace = Command<'DeleteNamespace', { actorRole: TeamRole | null; settings: Settings }>;

/** NamespaceCommand is every command the namespace decider accepts. */
export type NamespaceCommand =
  | CreateNamespace
  | ChangeNamespaceVisibility
  | ChangeNamespaceTeam
  | ChangeNamespaceDescription
  | RenameNamespace
  | DeleteNamespace;

const KINDS: readonly NamespaceKind[] = ['global', 'personal', 'team'];

function checkCreateInput({ data }: CreateNamespace): void {
  if (!KINDS.includes(data.kind)) throw NamespaceErrors.invalidKind();
  checkNamespaceName(data.name);
  // NOTE: the global name is fixed by Portus; users see the registry hostname.
  const globalName = globalNamespaceName(data.registryId);
  if (data.kind === 'global' && data.name !== globalName) {
    throw NamespaceErrors.invalidName(`the global namespace is ${globalName}`);
  }
  if (data.kind === 'personal' && data.ownerUserId === null) {
    throw NamespaceErrors.ownerRequired();
  }
  checkNamespaceDescription(data.description);
}

function checkCreatePermission({ data, metadata }: CreateNamespace): void {
  const actor = metadata.actor;
  if (actor === null) throw NamespaceErrors.forbidden('Sign in first');
  if (data.teamHidden) throw NamespaceErrors.teamNotFound();
  const mayCreate = actor.admin || data.settings.userPermission.createNamespace;
  const target = { kind: 'team' as const, ownerUserId: null };
  const { actorRole, settings } = data;
  const mayPush = namespaceCanPush(actor, actorRole, target, settings);
  if (!mayCreate || !mayPush) throw NamespaceErrors.createForbidden();
}

function createNamespace(cmd: CreateNamespace, state: NamespaceState): NamespaceEvent[] {
  const { data, metadata } = cmd;
  if (state.exists) throw NamespaceErrors.exists(data.id);
  checkCreateInput(cmd);
  // NOTE: global and personal namespaces are made by the system: no permission check.
  if (data.kind === 'team') checkCreatePermission(cmd);
  const { id, name, kind, registryId, teamId, description } = data;
  const ownerUserId = kind === 'personal' ? data.ownerUserId : null;
  const visibility: Visibility = kind === 'global' ? 'public' : 'private';
  const where = { registryId, teamId, ownerUserId };
  const event = { id, name, kind, ...where, description, visibility };
  return [{ type: 'NamespaceCreated', data: { ...event, at: metadata.now } }];
}

function changeVisibility(cmd: ChangeNamespaceVisibility, state: NamespaceState): NamespaceEvent[] {
  const { data, metadata } = cmd;
  requireLiveNamespace(state);
  if (!VISIBILITIES.includes(data.visibility)) throw NamespaceErrors.invalidVisibility();
  const { actorRole, settings, visibility } = data;
  if (!canChangeVisibility(metadata.actor, actorRole, state, settings)) {
    throw NamespaceErrors.forbidden('You may not change the visibility');
  }
  const global = state.kind === 'global';
  if (global && visibility === 'private') throw NamespaceErrors.globalPrivate();
  if (visibility === state.visibility) return [];
  const [old, at] = [state.visibility, metadata.now];
  const event = { id: state.id, old, new: visibility, at };
  return [{ type: 'NamespaceVisibilityChanged', data: event }];
}

function changeTeam(cmd: ChangeNamespaceTeam, state: NamespaceState): NamespaceEvent[] {
  const { data, metadata } = cmd;
  requireLiveNamespace(state);
  const actor = metadata.actor;
  requireNamespaceManager(actor, data.actorRole, data.settings);
  if (state.kind !== 'team') throw NamespaceErrors.teamLocked(state.kind);
  if (data.teamHidden) throw NamespaceErrors.teamNotFound();
  // NOTE: stricter than Portus: non-admins may only move into a team they write to.
  const writer = ['owner', 'contributor'].includes(data.actorRoleInNewTeam ?? '');
  if (!actor?.admin && !writer) throw NamespaceErrors.newTeamForbidden();
  if (data.teamId === state.teamId) return [];
  const event = {
    id: state.id,
    old: state.teamId,
    new: data.teamId,
    at: metadata.now,
  };
  return [{ type: 'NamespaceTeamChanged', data: event }];
}

function changeDescription(cmd: ChangeNamespaceDescription, state: NamespaceState): NamespaceEvent[] {
  const { data, metadata } = cmd;
  requireLiveNamespace(state);
  requireNamespaceManager(metadata.actor, data.actorRole, data.settings);
  checkNamespaceDescription(data.description);
  if (data.description === state.description) return [];
  const [old, at] = [state.description, metadata.now];
  const event = { id: state.id, old, new: data.description, at };
  return [{ type: 'NamespaceDescriptionChanged', data: event }];
}

function renameNamespace(cmd: RenameNamespace, state: NamespaceState): NamespaceEvent[] {
  const { data, metadata } = cmd;
  requireLiveNamespace(state);
  requireNamespaceManager(metadata.actor, data.actorRole, data.settings);
  if (state.kind !== 'team') throw NamespaceErrors.nameLocked(state.kind);
  checkNamespaceName(data.name);
  if (data.name === state.name) return [];
  const event = {
    id: state.id,
    old: state.name,
    new: data.name,
    at: metadata.now,
  };
  return [{ type: 'NamespaceRenamed', data: event }];
}

function deleteNamespace(cmd: DeleteNamespace, state: NamespaceState): NamespaceEvent[] {
  const { data, metadata } = cmd;
  requireLiveNamespace(state);
  if (!data.settings.delete.enabled) throw NamespaceErrors.deleteDisabled();
  if (state.kind === 'global') throw NamespaceErrors.globalNotDeletable();
  if (!namespaceCanDelete(metadata.actor, data.actorRole, data.settings)) {
    throw NamespaceErrors.forbidden('You are not allowed to delete this namespace');
  }
  if (state.kind === 'personal') throw NamespaceErrors.personalNotDeletable();
  const { id, name, teamId, registryId } = state;
  const event = { id, name, teamId, registryId, at: metadata.now };
  return [{ type: 'NamespaceDeleted', data: event }];
}

/** decideNamespace routes a namespace command to its rule function. */
export function decideNamespace(command: NamespaceCommand, state: NamespaceState): NamespaceEvent[] {
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
export const namespaceDecider: Decider<NamespaceState, NamespaceCommand, NamespaceEvent> = {
  decide: decideNamespace,
  evolve: evolveNamespace,
  initialState: initialNamespaceState,
};
