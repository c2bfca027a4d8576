import { conflict, forbidden, illegalState, notFound, validation } from '../shared/domain-error';

/** TeamErrors lists every error the team rules throw, one stable code each. */
export const TeamErrors = {
  exists: (id: number) => conflict('TEAM.EXISTS', `Team ${id} already exists`),
  notFound: () => notFound('TEAM.NOT_FOUND', 'Team not found'),
  notMember: () => notFound('TEAM.NOT_MEMBER', 'User is not a member of this team'),
  forbidden: (message: string) => forbidden('TEAM.FORBIDDEN', message),
  createForbidden: () => forbidden('TEAM.CREATE_FORBIDDEN', 'Only admins can create teams'),
  ownerAdminOnly: () => forbidden('TEAM.OWNER_ADMIN_ONLY', 'Only admins can create a team for another owner'),
  alreadyMember: () => conflict('TEAM.ALREADY_MEMBER', 'User is already a member of this team', 'userId'),
  onlyOwner: (what: string) => illegalState('TEAM.ONLY_OWNER', `Cannot ${what} the only owner`),
  adminIsOwner: () => illegalState('TEAM.ADMIN_IS_OWNER', "User cannot be demoted because it's a Portus admin"),
  invalidName: (message: string) => validation('TEAM.INVALID_NAME', message, 'name'),
  invalidKind: () => validation('TEAM.INVALID_KIND', 'kind must be team, personal or global', 'kind'),
  invalidRole: () => validation('TEAM.INVALID_ROLE', 'role must be viewer, contributor or owner', 'role'),
  descriptionTooLong: () =>
    validation('TEAM.DESCRIPTION_TOO_LONG', 'description is too long (max 64 KiB)', 'description'),
} as const;
