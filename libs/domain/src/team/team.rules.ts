import type { Settings } from '../settings/settings';
import { hasControlChars } from '../shared/text';
import type { TeamRole } from './team.events';

/** TEAM_ROLES lists roles from least to most powerful; the order is used to tell a demotion from a promotion. */
export const TEAM_ROLES: readonly TeamRole[] = ['viewer', 'contributor', 'owner'];

/** isTeamRole guards values arriving from HTTP bodies. */
export const isTeamRole = (value: unknown): value is TeamRole => TEAM_ROLES.includes(value as TeamRole);

/** teamRoleRank orders roles; a lower new rank is a demotion. */
export const teamRoleRank = (role: TeamRole): number => TEAM_ROLES.indexOf(role);

/**
 * validateTeamName returns human messages, empty when valid. Surrounding blanks are refused rather than
 * trimmed so the name reserved by the handler is exactly the name stored.
 */
export function validateTeamName(name: string): string[] {
  if (name.trim().length === 0) return ["name can't be blank"];
  const errors: string[] = [];
  if (name.length > 255) errors.push('name is too long (max 255)');
  if (name !== name.trim()) errors.push('name cannot start or end with blanks');
  if (hasControlChars(name)) errors.push('name cannot contain control characters');
  if (name.includes('/')) errors.push("name cannot contain '/'");
  return errors;
}

/** TeamAction is what a team role may be asked to do on the team or its namespaces. */
export type TeamAction = 'pull' | 'push' | 'delete' | 'manage';

/**
 * teamRoleCan answers for a non-admin member of a team namespace (admins are decided by the caller):
 * pull = any role; push = owner/contributor under allow-teams; delete = delete.enabled and owner, or
 * contributor with delete.contributors; manage = owner with user_permission.manage_team.
 */
export function teamRoleCan(role: TeamRole | null, what: TeamAction, settings: Settings): boolean {
  if (role === null) return false;
  switch (what) {
    case 'pull':
      return true;
    case 'push':
      return settings.userPermission.pushImages === 'allow-teams' && role !== 'viewer';
    case 'delete':
      return settings.delete.enabled && (role === 'owner' || (role === 'contributor' && settings.delete.contributors));
    case 'manage':
      return settings.userPermission.manageTeam && role === 'owner';
    default:
      return false;
  }
}
