import type { Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import type { Settings } from '../settings/settings';
import {
  conflict,
  forbidden,
  illegalState,
  notFound,
  validation,
} from '../shared/domain-error';
import { utf8Length } from '../shared/text';
import type { TeamEvent, TeamKind, TeamRole } from './team.events';
import type { TeamState } from './team';
import { evolveTeam, initialTeamState, teamOwnerIds, teamRoleOf } from './team';
import { isTeamRole, teamRoleRank, validateTeamName } from './team.rules';
import {
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
  }
>;
/** RenameTeam changes the (reserved) team name. */
export type RenameTeam = Command<
  'RenameTeam',
  { name: string; settings: Settings }
>;
/** DescribeTeam changes the markdown description. */
export type DescribeTeam = Command<
  'DescribeTeam',
  { description: string; settings: Settings }
>;
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
export type SyncAdminMembership = Command<
  'SyncAdminMembership',
  { userId: number; admin: boolean }
>;

/** TeamCommand is every command the team decider accepts. */
export type TeamCommand =
  | CreateTeam
  | RenameTeam
  | DescribeTeam
  | AddTeamMember
  | ChangeTeamMemberRole
  | RemoveTeamMember
  | SyncAdminMembership;

const KINDS: readonly TeamKind[] = ['team', 'personal', 'global'];
const DESCRIPTION_MAX_BYTES = 64 * 1024;

function checkName(name: string): void {
  const errors = validateTeamName(name);
  if (errors.length > 0)
    throw validation('TEAM.INVALID_NAME', errors.join('; '), 'name');
}

function checkRole(role: unknown): asserts role is TeamRole {
  if (!isTeamRole(role))
    throw validation(
      'TEAM.INVALID_ROLE',
      'role must be viewer, contributor or owner',
      'role',
    );
}

function checkCreatePermission({ data, metadata }: CreateTeam): void {
  const actor = metadata.actor;
  if (actor === null)
    throw forbidden('TEAM.FORBIDDEN', 'You must be signed in to create a team');
  if (!actor.admin && !data.settings.userPermission.createTeam) {
    throw forbidden('TEAM.CREATE_FORBIDDEN', 'Only admins can create teams');
  }
  if (!actor.admin && data.ownerId !== actor.id) {
    throw forbidden(
      'TEAM.OWNER_ADMIN_ONLY',
      'Only admins can create a team for another owner',
    );
  }
}

function createTeam(command: CreateTeam, state: TeamState): TeamEvent[] {
  const { data, metadata } = command;
  if (state.exists)
    throw conflict('TEAM.EXISTS', `Team ${data.id} already exists`);
  if (!KINDS.includes(data.kind))
    throw validation('TEAM.INVALID_KIND', 'unknown team kind', 'kind');
  // NOTE: personal and global teams are made by the system (user sign-up, registry creation): no permission check.
  if (data.kind === 'team') checkCreatePermission(command);
  checkName(data.name);
  const { id, name, description, kind, ownerId } = data;
  const at = metadata.now;
  return [
    {
      type: 'TeamCreated',
      data: {
        id,
        name,
        description,
        kind,
        hidden: kind !== 'team',
        ownerId,
        at,
      },
    },
    {
      type: 'TeamMemberAdded',
      data: { teamId: id, userId: ownerId, role: 'owner', at },
    },
  ];
}

function renameTeam(
  { data, metadata }: RenameTeam,
  state: TeamState,
): TeamEvent[] {
  requireVisibleTeam(state);
  requireTeamEditor(metadata.actor, state, data.settings);
  checkName(data.name);
  if (data.name === state.name) return [];
  return [
    {
      type: 'TeamRenamed',
      data: { id: state.id, old: state.name, new: data.name, at: metadata.now },
    },
  ];
}

function describeTeam(
  { data, metadata }: DescribeTeam,
  state: TeamState,
): TeamEvent[] {
  requireVisibleTeam(state);
  requireTeamEditor(metadata.actor, state, data.settings);
  if (utf8Length(data.description) > DESCRIPTION_MAX_BYTES) {
    throw validation(
      'TEAM.DESCRIPTION_TOO_LONG',
      'description is too long (max 64 KiB)',
      'description',
    );
  }
  if (data.description === state.description) return [];
  const event = {
    id: state.id,
    old: state.description,
    new: data.description,
    at: metadata.now,
  };
  return [{ type: 'TeamDescriptionChanged', data: event }];
}

function addTeamMember(
  { data, metadata }: AddTeamMember,
  state: TeamState,
): TeamEvent[] {
  requireVisibleTeam(state);
  requireTeamManager(metadata.actor, state);
  checkRole(data.role);
  if (teamRoleOf(state, data.userId) !== null) {
    throw conflict(
      'TEAM.ALREADY_MEMBER',
      'User is already a member of this team',
      'userId',
    );
  }
  // NOTE: a Portus admin added to a team is always made owner (TeamUsers::BuildService).
  const role: TeamRole = data.userIsAdmin ? 'owner' : data.role;
  return [
    {
      type: 'TeamMemberAdded',
      data: { teamId: state.id, userId: data.userId, role, at: metadata.now },
    },
  ];
}

function requireMember(state: TeamState, userId: number): TeamRole {
  const role = teamRoleOf(state, userId);
  if (role === null)
    throw notFound('TEAM.NOT_MEMBER', 'User is not a member of this team');
  return role;
}

const isOnlyOwner = (state: TeamState, userId: number) =>
  teamRoleOf(state, userId) === 'owner' && teamOwnerIds(state).length === 1;

function changeTeamMemberRole(
  { data, metadata }: ChangeTeamMemberRole,
  state: TeamState,
): TeamEvent[] {
  requireVisibleTeam(state);
  requireTeamManager(metadata.actor, state);
  checkRole(data.role);
  const oldRole = requireMember(state, data.userId);
  if (oldRole === data.role) return [];
  if (teamRoleRank(data.role) < teamRoleRank(oldRole)) {
    if (isOnlyOwner(state, data.userId))
      throw illegalState('TEAM.ONLY_OWNER', 'Cannot demote the only owner');
    if (data.userIsAdmin) {
      throw illegalState(
        'TEAM.ADMIN_IS_OWNER',
        "User cannot be demoted because it's a Portus admin",
      );
    }
  }
  const event = {
    teamId: state.id,
    userId: data.userId,
    oldRole,
    newRole: data.role,
    at: metadata.now,
  };
  return [{ type: 'TeamMemberRoleChanged', data: event }];
}

function removeTeamMember(
  { data, metadata }: RemoveTeamMember,
  state: TeamState,
): TeamEvent[] {
  requireVisibleTeam(state);
  const actor = metadata.actor;
  // NOTE: a member may always leave; removing someone else is TeamUserPolicy#destroy? (admin or owner).
  if (actor === null || actor.id !== data.userId)
    requireTeamManager(actor, state);
  const role = requireMember(state, data.userId);
  if (isOnlyOwner(state, data.userId))
    throw illegalState('TEAM.ONLY_OWNER', 'Cannot remove the only owner');
  return [
    {
      type: 'TeamMemberRemoved',
      data: { teamId: state.id, userId: data.userId, role, at: metadata.now },
    },
  ];
}

function syncAdminMembership(
  { data, metadata }: SyncAdminMembership,
  state: TeamState,
): TeamEvent[] {
  if (!state.exists) throw notFound('TEAM.NOT_FOUND', 'Team not found');
  const role = teamRoleOf(state, data.userId);
  const [teamId, userId, at] = [state.id, data.userId, metadata.now];
  if (data.admin && role === null && state.kind === 'global') {
    return [
      { type: 'TeamMemberAdded', data: { teamId, userId, role: 'owner', at } },
    ];
  }
  if (data.admin && role !== null && role !== 'owner') {
    return [
      {
        type: 'TeamMemberRoleChanged',
        data: { teamId, userId, oldRole: role, newRole: 'owner', at },
      },
    ];
  }
  // NOTE: the global team's owners are "all admins", so it may be left without owners; other teams keep theirs.
  if (!data.admin && role !== null && state.kind === 'global') {
    return [{ type: 'TeamMemberRemoved', data: { teamId, userId, role, at } }];
  }
  return [];
}

/** decideTeam routes a team command to its rule function. */
export function decideTeam(
  command: TeamCommand,
  state: TeamState,
): TeamEvent[] {
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
