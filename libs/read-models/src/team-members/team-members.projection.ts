import type { TeamRole } from '@portcullis/domain';
import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { Projection } from '../projection';
import { asProjectedEvent, evolveDocument, index } from '../projection';

/**
 * TeamMemberDoc is one membership (`team_members`, `_id` = `${teamId}:${userId}`). User fields are
 * joined at query time (teamMembers), so renames never leave stale copies here.
 */
export interface TeamMemberDoc extends Doc {
  team_id: number;
  user_id: number;
  role: TeamRole;
  created_at: string;
}

/** teamMemberId is the `_id` of a membership. */
export const teamMemberId = (teamId: number, userId: number): string => `${teamId}:${userId}`;

const members = Collections.teamMembers;

/** teamMembersProjection maintains `team_members`; a deleted user's memberships go with them. */
export const teamMembersProjection: Projection = {
  name: 'team_members',
  collections: [members],
  indexes: {
    [members]: [index(members, 'team_id'), index(members, 'user_id')],
  },
  // NOTE: TeamCreated names the owner, but the decider always adds them with a TeamMemberAdded too,
  // so memberships come from member events only.
  canHandle: ['TeamMemberAdded', 'TeamMemberRoleChanged', 'TeamMemberRemoved', 'UserDeleted'],
  async apply(recorded, store) {
    const col = store.collection<TeamMemberDoc>(members);
    const event = asProjectedEvent(recorded);
    const upsertMember = (teamId: number, userId: number, role: TeamRole, at: string) =>
      evolveDocument(col, teamMemberId(teamId, userId), (doc) => ({
        _id: teamMemberId(teamId, userId),
        team_id: teamId,
        user_id: userId,
        role,
        // A repeated add (a replay) keeps the first date.
        created_at: doc?.created_at ?? at,
      }));
    switch (event.type) {
      case 'TeamMemberAdded': {
        const { teamId, userId, role, at } = event.data;
        return upsertMember(teamId, userId, role, at);
      }
      case 'TeamMemberRoleChanged': {
        const { teamId, userId, newRole } = event.data;
        return evolveDocument(col, teamMemberId(teamId, userId), (doc) => (doc ? { ...doc, role: newRole } : null));
      }
      case 'TeamMemberRemoved':
        return col.delete(teamMemberId(event.data.teamId, event.data.userId));
      case 'UserDeleted':
        // Portus destroys a deleted user's TeamUsers; the team streams may not say so.
        await col.deleteMany({ user_id: event.data.id });
        return;
      default:
        return;
    }
  },
};
