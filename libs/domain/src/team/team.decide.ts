import type { Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import type { Settings } from '../settings/settings';
import type { ChangeCause, TeamEvent, TeamKind, TeamRole } from './team.events';
import type { SyncTeamWithGroup } from './team-group-sync.decide';
import { syncTeamWithGroup } from './team-group-sync.decide';
import type { TeamState } from './team';
import { evolveTeam, initialTeamState, teamRoleOf } from './team';
import { teamRoleRank } from './team.rules';
import { TeamErrors } from './team.errors';
import {
  checkRole,
  checkTeamDescription,
  checkTeamName,
  isOnlyOwner,
  requireMember,
  requireTeamEditor,
  requireTeamManager,
  requireVisibleTeam,
} from './team.guards';

/** CreateTeam makes a team with its first owner; personal and global teams are created by the system. */
export type CreateTeam = Command<
  'CreateTeam',
  {
    id: number;
    name: string;
    description: string;
    kind: TeamKind;
    ownerId: number;
    ownerIsAdmin: boolean;
    settings: Settings;
    /** cause: set when the system creates the team for an LDAP group (no permission check, recorded). */
    cause?: ChangeCause;
  }
>;
/** RenameTeam changes the (reserved) team name. */
export type RenameTeam = Command<'RenameTeam', { name: string; settings: Settings }>;
/** DescribeTeam changes the markdown description. */
export type DescribeTeam = Command<'DescribeTeam', { description: string; settings: Settings }>;
/** AddTeamMember adds a user; `userIsAdmin` comes from the user read model because admins are always owners. */
export type AddTeamMember = Command<
  'AddTeamMember',
  { userId: number; role: TeamRole; userIsAdmin: boolean; settings?: Settings }
>;
/** ChangeTeamMemberRole promotes or demotes a member. */
export type ChangeTeamMemberRole = Command<
  'ChangeTeamMemberRole',
  { userId: number; role: TeamRole; userIsAdmin: boolean }
>;
/** RemoveTeamMember removes a member, or lets a member leave. */
export type RemoveTeamMember = Command<'RemoveTeamMember', { userId: number }>;
/** SyncAdminMembership is the system's reaction to a user gaining or losing the admin flag. */
export type SyncAdminMembership = Command<'SyncAdminMembership', { userId: number; admin: boolean }>;

/** TeamCommand is every command the team decider accepts. */
export type TeamCommand =
  | CreateTeam
  | RenameTeam
  | DescribeTeam
  | AddTeamMember
  | ChangeTeamMemberRole
  | RemoveTeamMember
  | SyncAdminMembership
  | SyncTeamWithGroup;

const KINDS: readonly TeamKind[] = ['team', 'personal', 'global'];

function checkCreatePermission({ data, metadata }: CreateTeam): void {
  const actor = metadata.actor;
  if (actor === null) throw TeamErrors.forbidden('Sign in to create a team');
  if (!actor.admin && !data.settings.userPermission.createTeam) {
    throw TeamErrors.createForbidden();
  }
  if (!actor.admin && data.ownerId !== actor.id) {
    throw TeamErrors.ownerAdminOnly();
  }
}

function createTeam(cmd: CreateTeam, state: TeamState): TeamEvent[] {
  const { data, metadata } = cmd;
  if (state.exists) throw TeamErrors.exists(data.id);
  if (!KINDS.includes(data.kind)) throw TeamErrors.invalidKind();
  // NOTE: personal and global teams, and teams for LDAP groups, are made by the system: no permission check.
  if (data.kind === 'team' && !data.cause) checkCreatePermission(cmd);
  checkTeamName(data.name);
  const { id, name, description, kind, ownerId, cause } = data;
  const [hidden, at] = [kind !== 'team', metadata.now];
  const team = { id, name, description, kind, hidden, ownerId, at, ...(cause ? { cause } : {}) };
  const owner = { teamId: id, userId: ownerId, role: 'owner' as const, at };
  return [
    { type: 'TeamCreated', data: team },
    { type: 'TeamMemberAdded', data: owner },
  ];
}

function renameTeam({ data, metadata }: RenameTeam, state: TeamState): TeamEvent[] {
  requireVisibleTeam(state);
  requireTeamEditor(metadata.actor, state, data.settings);
  checkTeamName(data.name);
  if (data.name === state.name) return [];
  const event = {
    id: state.id,
    old: state.name,
    new: data.name,
    at: metadata.now,
  };
  return [{ type: 'TeamRenamed', data: event }];
}

function describeTeam(cmd: DescribeTeam, state: TeamState): TeamEvent[] {
  const { data, metadata } = cmd;
  requireVisibleTeam(state);
  requireTeamEditor(metadata.actor, state, data.settings);
  checkTeamDescription(data.description);
  if (data.description === state.description) return [];
  const [old, at] = [state.description, metadata.now];
  const event = { id: state.id, old, new: data.description, at };
  return [{ type: 'TeamDescriptionChanged', data: event }];
}

function addTeamMember(cmd: AddTeamMember, state: TeamState): TeamEvent[] {
  const { data, metadata } = cmd;
  requireVisibleTeam(state);
  requireTeamManager(metadata.actor, state);
  checkRole(data.role);
  if (teamRoleOf(state, data.userId) !== null) throw TeamErrors.alreadyMember();
  // NOTE: a Portus admin added to a team is always made owner.
  const role: TeamRole = data.userIsAdmin ? 'owner' : data.role;
  const event = {
    teamId: state.id,
    userId: data.userId,
    role,
    at: metadata.now,
  };
  return [{ type: 'TeamMemberAdded', data: event }];
}

function changeTeamMemberRole(cmd: ChangeTeamMemberRole, state: TeamState): TeamEvent[] {
  const { data, metadata } = cmd;
  requireVisibleTeam(state);
  requireTeamManager(metadata.actor, state);
  checkRole(data.role);
  const oldRole = requireMember(state, data.userId);
  if (oldRole === data.role) return [];
  if (teamRoleRank(data.role) < teamRoleRank(oldRole)) {
    if (isOnlyOwner(state, data.userId)) throw TeamErrors.onlyOwner('demote');
    if (data.userIsAdmin) throw TeamErrors.adminIsOwner();
  }
  const [teamId, userId, newRole] = [state.id, data.userId, data.role];
  const event = { teamId, userId, oldRole, newRole, at: metadata.now };
  return [{ type: 'TeamMemberRoleChanged', data: event }];
}

function removeTeamMember(cmd: RemoveTeamMember, state: TeamState): TeamEvent[] {
  const { data, metadata } = cmd;
  requireVisibleTeam(state);
  const actor = metadata.actor;
  // NOTE: a member may always leave; removing someone else needs admin or owner.
  if (actor?.id !== data.userId) requireTeamManager(actor, state);
  const role = requireMember(state, data.userId);
  if (isOnlyOwner(state, data.userId)) throw TeamErrors.onlyOwner('remove');
  const event = {
    teamId: state.id,
    userId: data.userId,
    role,
    at: metadata.now,
  };
  return [{ type: 'TeamMemberRemoved', data: event }];
}

function syncAdminMembership({ data, metadata }: SyncAdminMembership, state: TeamState): TeamEvent[] {
  if (!state.exists) throw TeamErrors.notFound();
  const role = teamRoleOf(state, data.userId);
  const ids = { teamId: state.id, userId: data.userId };
  const [global, at] = [state.kind === 'global', metadata.now];
  if (data.admin && role === null && global) {
    const event = { ...ids, role: 'owner' as const, at };
    return [{ type: 'TeamMemberAdded', data: event }];
  }
  if (data.admin && role !== null && role !== 'owner') {
    const event = { ...ids, oldRole: role, newRole: 'owner' as const, at };
    return [{ type: 'TeamMemberRoleChanged', data: event }];
  }
  // NOTE: the global team's owners are "all admins": it may be left ownerless.
  if (!data.admin && role !== null && global) {
    return [{ type: 'TeamMemberRemoved', data: { ...ids, role, at } }];
  }
  return [];
}

/** decideTeam routes a team command to its rule function. */
export function decideTeam(command: TeamCommand, state: TeamState): TeamEvent[] {
  switch (command.type) {
    case 'CreateTeam':
      return createTeam(command, state);
    case 'RenameTeam':
      return renameTeam(command, state);
    case 'DescribeTeam':
      return describeTeam(command, state);
    case 'AddTeamMember':
      return addTeamMember(command, state);
    case 'ChangeTeamMemberRole':
      return changeTeamMemberRole(command, state);
    case 'RemoveTeamMember':
      return removeTeamMember(command, state);
    case 'SyncAdminMembership':
      return syncAdminMembership(command, state);
    case 'SyncTeamWithGroup':
      return syncTeamWithGroup(command, state);
    default:
      return assertNever(command);
  }
}

/** teamDecider is the team aggregate as one emmett-shaped object. */
export const teamDecider: Decider<TeamState, TeamCommand, TeamEvent> = {
  decide: decideTeam,
  evolve: evolveTeam,
  initialState: initialTeamState,
};
