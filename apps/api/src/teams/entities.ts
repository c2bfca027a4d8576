import type { TeamEntity, TeamMemberEntity } from '@portcullis/contracts';
import type { Doc } from '@portcullis/persistence';

type D = Doc & Record<string, unknown>;

/** toTeamEntity renders Portus's Teams entity. */
export function toTeamEntity(t: D): TeamEntity {
  return {
    id: t['id'] as number,
    name: t['name'] as string,
    description: (t['description'] as string) ?? '',
    hidden: t['hidden'] === true,
    created_at: t['created_at'] as string,
    updated_at: t['updated_at'] as string,
  };
}

/** toMemberEntity renders Portus's TeamMembers entity plus the username; `id` is the user id (our member id). */
export function toMemberEntity(m: D, user: D | null, currentUserId: number): TeamMemberEntity {
  const userId = m['user_id'] as number;
  return {
    id: userId,
    team_id: m['team_id'] as number,
    user_id: userId,
    role: m['role'] as TeamMemberEntity['role'],
    username: (user?.['username'] as string | undefined) ?? '',
    display_name:
      ((user?.['display_name'] as string | null) ?? (user?.['username'] as string | undefined)) || 'someone',
    admin: user?.['admin'] === true,
    current: userId === currentUserId,
  };
}
