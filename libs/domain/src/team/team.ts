import { assertNever } from '../shared/message';
import type { TeamEvent, TeamKind, TeamRole } from './team.events';

/** TeamState holds the team and its members (user id → role), so "only owner" is decided on one stream. */
export interface TeamState {
  readonly exists: boolean;
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly kind: TeamKind;
  readonly hidden: boolean;
  readonly members: Readonly<Record<number, TeamRole>>;
  /** ldapMembers are the members an LDAP group sync added: the only ones a sync may remove again. */
  readonly ldapMembers: readonly number[];
}

/** teamStreamId names the stream of one team. */
export const teamStreamId = (id: number): string => `team-${id}`;

/** initialTeamState is the state of a stream with no events. */
export const initialTeamState = (): TeamState => ({
  exists: false,
  id: 0,
  name: '',
  description: '',
  kind: 'team',
  hidden: false,
  members: {},
  ldapMembers: [],
});

const without = (members: Readonly<Record<number, TeamRole>>, userId: number) => {
  const rest = { ...members };
  delete rest[userId];
  return rest;
};

/** evolveTeam applies one team event. */
export function evolveTeam(state: TeamState, event: TeamEvent): TeamState {
  switch (event.type) {
    case 'TeamCreated': {
      const { id, name, description, kind, hidden } = event.data;
      return { exists: true, id, name, description, kind, hidden, members: {}, ldapMembers: [] };
    }
    case 'TeamRenamed':
      return { ...state, name: event.data.new };
    case 'TeamDescriptionChanged':
      return { ...state, description: event.data.new };
    case 'TeamMemberAdded':
      return {
        ...state,
        members: { ...state.members, [event.data.userId]: event.data.role },
        ldapMembers: event.data.cause?.ldapGroup
          ? [...state.ldapMembers.filter((id) => id !== event.data.userId), event.data.userId]
          : state.ldapMembers,
      };
    case 'TeamMemberRoleChanged':
      return {
        ...state,
        members: { ...state.members, [event.data.userId]: event.data.newRole },
      };
    case 'TeamMemberRemoved':
      return {
        ...state,
        members: without(state.members, event.data.userId),
        ldapMembers: state.ldapMembers.filter((id) => id !== event.data.userId),
      };
    default:
      return assertNever(event);
  }
}

/** teamRoleOf is a user's role in the team, or null for non-members. */
export const teamRoleOf = (state: TeamState, userId: number): TeamRole | null => state.members[userId] ?? null;

/** teamOwnerIds lists the owners; the "only owner" rules count them. */
export const teamOwnerIds = (state: TeamState): number[] =>
  Object.entries(state.members)
    .filter(([, role]) => role === 'owner')
    .map(([id]) => Number(id));
