import type { TeamRole } from '@portcullis/domain';
import type { Filter, ReadStore } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { TeamMemberDoc } from '../team-members/team-members.projection';
import { teamMemberId } from '../team-members/team-members.projection';
import type { TeamDoc } from '../teams/teams.projection';
import type { UserDoc } from '../users/users.projection';
import type { Page, PageResult } from './paging';
import { findPage, SortableFields } from './paging';

/** TeamMemberView is a membership with the member's user fields joined (Portus's TeamMembers entity). */
export interface TeamMemberView extends TeamMemberDoc {
  username: string;
  display_name: string | null;
  admin: boolean;
}

const teams = (store: ReadStore) => store.collection<TeamDoc>(Collections.teams);
const members = (store: ReadStore) => store.collection<TeamMemberDoc>(Collections.teamMembers);

/** findTeam returns the team with this id, hidden ones included (callers decide to answer 404). */
export function findTeam(store: ReadStore, id: number): Promise<TeamDoc | null> {
  return teams(store).get(String(id));
}

/** findTeamByName returns the team with this exact name, or null. */
export function findTeamByName(store: ReadStore, name: string): Promise<TeamDoc | null> {
  return teams(store).findOne({ name });
}

/** teamIdsOfUser lists the ids of every team the user belongs to, hidden (personal, global) ones included. */
export async function teamIdsOfUser(store: ReadStore, userId: number): Promise<number[]> {
  const rows = await members(store).find({ user_id: userId }, { sort: [['team_id', 1]] });
  return rows.map((m) => m.team_id);
}

/** listTeamsForUser pages the non-hidden teams a user sees: all of them for an admin, else their own. */
export async function listTeamsForUser(
  store: ReadStore,
  userId: number,
  admin: boolean,
  page: Page,
): Promise<PageResult<TeamDoc>> {
  const filter: Filter = admin ? { hidden: false } : { hidden: false, id: { $in: await teamIdsOfUser(store, userId) } };
  return findPage(teams(store), filter, page, SortableFields.teams);
}

/** teamMembers lists a team's members with username, display_name and admin joined, oldest first. */
export async function teamMembers(store: ReadStore, teamId: number): Promise<TeamMemberView[]> {
  const rows = await members(store).find(
    { team_id: teamId },
    {
      sort: [
        ['created_at', 1],
        ['user_id', 1],
      ],
    },
  );
  if (rows.length === 0) return [];
  const users = await store.collection<UserDoc>(Collections.users).find({ id: { $in: rows.map((m) => m.user_id) } });
  const byId = new Map(users.map((u) => [u.id, u]));
  return rows.flatMap((m) => {
    const user = byId.get(m.user_id);
    // A membership whose user is gone is not shown (the projection removes it on UserDeleted anyway).
    return user
      ? [
          {
            ...m,
            username: user.username,
            display_name: user.display_name,
            admin: user.admin,
          },
        ]
      : [];
  });
}

/** memberRole is the user's role in the team, or null when they are not a member. */
export async function memberRole(store: ReadStore, teamId: number, userId: number): Promise<TeamRole | null> {
  return (await members(store).get(teamMemberId(teamId, userId)))?.role ?? null;
}
