import type { ActorRef } from '../shared/message';
import type { Settings } from '../settings/settings';
import { forbidden, notFound } from '../shared/domain-error';
import type { TeamState } from './team';
import { teamRoleOf } from './team';

/** requireVisibleTeam refuses missing and hidden teams alike: Portus answers 404 for hidden teams. */
export function requireVisibleTeam(state: TeamState): void {
  if (!state.exists || state.hidden)
    throw notFound('TEAM.NOT_FOUND', 'Team not found');
}

/** isTeamManager is TeamUserPolicy: admin or team owner. */
export const isTeamManager = (
  actor: ActorRef | null,
  state: TeamState,
): actor is ActorRef =>
  actor !== null && (actor.admin || teamRoleOf(state, actor.id) === 'owner');

/** requireTeamManager throws unless the actor is an admin or a team owner. */
export function requireTeamManager(
  actor: ActorRef | null,
  state: TeamState,
): asserts actor is ActorRef {
  if (!isTeamManager(actor, state))
    throw forbidden(
      'TEAM.FORBIDDEN',
      'Only team owners and admins can manage members',
    );
}

/** requireTeamEditor is TeamPolicy#update?: (manage_team or admin) and (admin or owner); hidden was checked before. */
export function requireTeamEditor(
  actor: ActorRef | null,
  state: TeamState,
  settings: Settings,
): void {
  const allowed =
    actor !== null &&
    (settings.userPermission.manageTeam || actor.admin) &&
    isTeamManager(actor, state);
  if (!allowed)
    throw forbidden(
      'TEAM.FORBIDDEN',
      'You are not allowed to update this team',
    );
}
