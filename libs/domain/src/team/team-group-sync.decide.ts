import type { Command } from '../shared/message';
import type { TeamState } from './team';
import { evolveTeam, teamRoleOf } from './team';
import type { TeamEvent, TeamRole } from './team.events';
import { TeamErrors } from './team.errors';
import { checkRole, isOnlyOwner } from './team.guards';

/**
 * SyncTeamWithGroup makes a team's LDAP-managed members match an LDAP group: the system's command, run
 * by the background sync. `members` are the Portcullis users in the group (with their admin flag, as
 * admins are always owners); `removeMembers` lets members the sync added go once they left the group.
 */
export type SyncTeamWithGroup = Command<
  'SyncTeamWithGroup',
  {
    groupDn: string;
    members: ReadonlyArray<{ userId: number; admin: boolean }>;
    defaultRole: TeamRole;
    removeMembers: boolean;
  }
>;

/**
 * syncTeamWithGroup adds group members who are not in the team and, when asked, removes the members a
 * sync added who are no longer in the group. Members added by hand are never removed (unlike a full
 * mirror, a team owner's own choices survive), and the only owner is never removed. Every event names
 * the group as its cause. Idempotent: a second run with the same group decides nothing.
 */
export function syncTeamWithGroup({ data, metadata }: SyncTeamWithGroup, state: TeamState): TeamEvent[] {
  if (!state.exists || state.hidden) throw TeamErrors.notFound();
  checkRole(data.defaultRole);
  const cause = { ldapGroup: data.groupDn };
  const [teamId, at] = [state.id, metadata.now];
  const events: TeamEvent[] = [];
  let next = state;
  const emit = (event: TeamEvent) => {
    events.push(event);
    next = evolveTeam(next, event);
  };
  const inGroup = new Set(data.members.map((m) => m.userId));
  for (const { userId, admin } of [...data.members].sort((a, b) => a.userId - b.userId)) {
    if (teamRoleOf(next, userId) !== null) continue;
    const role: TeamRole = admin ? 'owner' : data.defaultRole;
    emit({ type: 'TeamMemberAdded', data: { teamId, userId, role, at, cause } });
  }
  if (!data.removeMembers) return events;
  for (const userId of [...next.ldapMembers].sort((a, b) => a - b)) {
    const role = teamRoleOf(next, userId);
    if (inGroup.has(userId) || role === null || isOnlyOwner(next, userId)) continue;
    emit({ type: 'TeamMemberRemoved', data: { teamId, userId, role, at, cause } });
  }
  return events;
}
