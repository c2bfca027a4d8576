import { z } from 'zod';
import { description, entity, id, name, timestamp } from './common';

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
export const TeamEntity = entity(
  'TeamEntity',
  'A team (Portus’s Teams entity)',
  z.strictObject({
    id: id(),
    name: z.string(),
    description: z.string(),
    hidden: z.boolean(),
    created_at: timestamp(),
    updated_at: timestamp(),
  }),
);
export type TeamEntity = z.infer<typeof TeamEntity>;

/** TeamRole is a member's role: viewers pull, contributors also push, owners also manage. */
export type TeamRole = z.infer<typeof TeamRoleSchema>;

/** TeamMemberEntity: `id` is the member id used in member paths (we use the user id). */
export const TeamMemberEntity = entity(
  'TeamMemberEntity',
  'A member of a team; id is the member id of the member paths (the user id)',
  z.strictObject({
    id: id(),
    team_id: id(),
    user_id: id(),
    role: TeamRoleSchema,
    /** username is the member's login name (stable key; display_name may change or repeat). */
    username: z.string(),
    display_name: z.string(),
    admin: z.boolean(),
    current: z.boolean(),
  }),
);
export type TeamMemberEntity = z.infer<typeof TeamMemberEntity>;
