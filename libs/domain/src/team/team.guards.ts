import type { ActorRef } from '../shared/message';
import type { Settings } from '../settings/settings';
import { utf8Length } from '../shared/text';
import type { TeamRole } from './team.events';
import type { TeamState } from './team';
import { teamOwnerIds, teamRoleOf } from './team';
import { TeamErrors } from './team.errors';
import { isTeamRole, validateTeamName } from './team.rules';

/** requireVisibleTeam refuses missing and hidden teams alike: Portus answers 404 for hidden teams. */
export function requireVisibleTeam(state: TeamState): void {
  if (!state.exists || state.hidden) throw TeamErrors.notFound();
}

/** isTeamManager is TeamUserPolicy: admin or team owner. */
export const isTeamManager = (actor: ActorRef | null, state: TeamState): actor is ActorRef =>
  actor !== null && (actor.admin || teamRoleOf(state, actor.id) === 'owner');

/** requireTeamManager throws unless the actor is an admin or a team owner. */
export function requireTeamManager(actor: ActorRef | null, state: TeamState): asserts actor is ActorRef {
  if (!isTeamManager(actor, state)) throw TeamErrors.forbidden('Only team owners and admins can manage members');
}

/** requireTeamEditor is TeamPolicy#update?: (manage_team or admin) and (admin or owner); hidden was checked before. */
export function requireTeamEditor(actor: ActorRef | null, state: TeamState, settings: Settings): void {
  const allowed = actor !== null && (settings.userPermission.manageTeam || actor.admin) && isTeamManager(actor, state);
  if (!allowed) throw TeamErrors.forbidden('You are not allowed to update this team');
}

/** requireMember returns the member's role or throws TEAM.NOT_MEMBER. */
export function requireMember(state: TeamState, userId: number): TeamRole {
  const role = teamRoleOf(state, userId);
  if (role === null) throw TeamErrors.notMember();
  return role;
}

/** isOnlyOwner protects Portus's "a team must have at least one owner". */
export const isOnlyOwner = (state: TeamState, userId: number): boolean =>
  teamRoleOf(state, userId) === 'owner' && teamOwnerIds(state).length === 1;

/** checkTeamName throws TEAM.INVALID_NAME with every broken rule. */
export function checkTeamName(name: string): void {
  const errors = validateTeamName(name);
  if (errors.length > 0) throw TeamErrors.invalidName(errors.join('; '));
}

/** checkRole guards role values arriving from HTTP bodies. */
export function checkRole(role: unknown): asserts role is TeamRole {
  if (!isTeamRole(role)) throw TeamErrors.invalidRole();
}

/** TEAM_DESCRIPTION_MAX_BYTES bounds the markdown description like a namespace's. */
export const TEAM_DESCRIPTION_MAX_BYTES = 64 * 1024;

/** checkTeamDescription throws TEAM.DESCRIPTION_TOO_LONG beyond 64 KiB of UTF-8. */
export function checkTeamDescription(description: string): void {
  if (utf8Length(description) > TEAM_DESCRIPTION_MAX_BYTES) throw TeamErrors.descriptionTooLong();
}
