import { z } from 'zod';
import { description, name } from './common';

/** TeamRoleSchema is viewer | contributor | owner. */
export const TeamRoleSchema = z.enum(['viewer', 'contributor', 'owner']);

/** CreateTeamRequest is POST /api/v1/teams (Portus: top-level name, description, owner_id). */
export const CreateTeamRequest = z
  .object({
    name: name(),
    description: description().optional(),
    owner_id: z.coerce.number().int().positive().optional(),
  })
  .strict();

/** UpdateTeamRequest is PUT /api/v1/teams/:id. */
export const UpdateTeamRequest = z
  .object({ team: z.object({ name: name().optional(), description: description().optional() }).strict() })
  .strict();

/** AddTeamMemberRequest is POST /api/v1/teams/:id/members (`user` is a username). */
export const AddTeamMemberRequest = z.object({ role: TeamRoleSchema, user: name() }).strict();

/** ChangeTeamMemberRequest is PUT /api/v1/teams/:id/members/:member_id. */
export const ChangeTeamMemberRequest = z.object({ role: TeamRoleSchema }).strict();

/** TeamEntity is Portus's API::Entities::Teams. */
export interface TeamEntity {
  id: number;
  name: string;
  description: string;
  hidden: boolean;
  created_at: string;
  updated_at: string;
}

/** TeamMemberEntity: `id` is the member id used in member paths (we use the user id). */
export interface TeamMemberEntity {
  id: number;
  team_id: number;
  user_id: number;
  role: 'viewer' | 'contributor' | 'owner';
  /** username is the member's login name (stable key; display_name may change or repeat). */
  username: string;
  display_name: string;
  admin: boolean;
  current: boolean;
}
