import type { TeamRole } from '@portcullis/contracts';

/** ROLES lists the team roles with what each may do. */
export const ROLES: ReadonlyArray<{ value: TeamRole; label: string; meaning: string }> = [
  { value: 'viewer', label: 'Viewer', meaning: 'pulls images' },
  { value: 'contributor', label: 'Contributor', meaning: 'pulls and pushes images' },
  { value: 'owner', label: 'Owner', meaning: 'pulls, pushes and manages the team and its namespaces' },
];
