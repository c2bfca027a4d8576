import type { DomainEvent } from '../shared/message';

// Stream: team-<id>. Members live in the team's stream, so two concurrent role changes on one
// member conflict on the stream revision (one 409), and "only owner" is decided on one stream.

/** TeamRole is Portus's TeamUser role. */
export type TeamRole = 'viewer' | 'contributor' | 'owner';

/**
 * ChangeCause says why the system made a change nobody asked for through the API; optional in event
 * data, so events written before it existed stay valid. `ldapGroup` is the DN of the synced group.
 */
export interface ChangeCause {
  readonly ldapGroup: string;
}

/** TeamKind: `team` is user-made; `personal` and `global` are Portus's hidden teams. */
export type TeamKind = 'team' | 'personal' | 'global';

export type TeamCreated = DomainEvent<
  'TeamCreated',
  {
    id: number;
    name: string;
    description: string;
    kind: TeamKind;
    hidden: boolean;
    ownerId: number | null;
    at: string;
    cause?: ChangeCause;
  }
>;
export type TeamRenamed = DomainEvent<'TeamRenamed', { id: number; old: string; new: string; at: string }>;
export type TeamDescriptionChanged = DomainEvent<
  'TeamDescriptionChanged',
  { id: number; old: string; new: string; at: string }
>;
export type TeamMemberAdded = DomainEvent<
  'TeamMemberAdded',
  { teamId: number; userId: number; role: TeamRole; at: string; cause?: ChangeCause }
>;
export type TeamMemberRoleChanged = DomainEvent<
  'TeamMemberRoleChanged',
  {
    teamId: number;
    userId: number;
    oldRole: TeamRole;
    newRole: TeamRole;
    at: string;
  }
>;
export type TeamMemberRemoved = DomainEvent<
  'TeamMemberRemoved',
  { teamId: number; userId: number; role: TeamRole; at: string; cause?: ChangeCause }
>;

export type TeamEvent =
  TeamCreated | TeamRenamed | TeamDescriptionChanged | TeamMemberAdded | TeamMemberRoleChanged | TeamMemberRemoved;
