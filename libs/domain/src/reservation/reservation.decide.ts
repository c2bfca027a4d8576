import type { Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import { conflict, validation } from '../shared/domain-error';
import type { ReservationEvent, ReservationKind } from './reservation.events';
import type { ReservationState } from './reservation';
import { evolveReservation, initialReservationState } from './reservation';

/** Reserve claims a unique value for an owner (user, team, namespace or registry id). */
export type Reserve = Command<'Reserve', { kind: ReservationKind; value: string; ownerId: number }>;
/** Release frees a value, but only for its owner, so a stale release cannot free someone else's name. */
export type Release = Command<'Release', { kind: ReservationKind; value: string; ownerId: number }>;

/** ReservationCommand is every command the reservation decider accepts. */
export type ReservationCommand = Reserve | Release;

const LABELS: Record<ReservationKind, string> = {
  username: 'Username',
  email: 'Email',
  team: 'Team name',
  namespace: 'Namespace name',
  registry: 'Registry name',
  'registry-hostname': 'Registry hostname',
};

/** reservationTakenCode is the stable conflict code for a kind, e.g. 'TEAM.NAME_TAKEN', 'REGISTRY_HOSTNAME.NAME_TAKEN'. */
export const reservationTakenCode = (kind: ReservationKind): string =>
  `${kind.toUpperCase().replace(/-/g, '_')}.NAME_TAKEN`;

function reserve({ data, metadata }: Reserve, state: ReservationState): ReservationEvent[] {
  if (data.value.length === 0) throw validation('RESERVATION.BLANK_VALUE', "value can't be blank", 'value');
  // NOTE: re-reserving for the same owner is a no-op so a retried handler does not fail on its own reservation.
  if (state.owner === data.ownerId) return [];
  if (state.owner !== null) {
    throw conflict(
      reservationTakenCode(data.kind),
      `${LABELS[data.kind]} '${data.value}' has already been taken`,
      data.kind,
    );
  }
  const { kind, value, ownerId } = data;
  return [{ type: 'NameReserved', data: { kind, value, ownerId, at: metadata.now } }];
}

function release({ data, metadata }: Release, state: ReservationState): ReservationEvent[] {
  if (state.owner === null || state.owner !== data.ownerId) return [];
  const { kind, value, ownerId } = data;
  return [{ type: 'NameReleased', data: { kind, value, ownerId, at: metadata.now } }];
}

/** decideReservation routes a reservation command to its rule function. */
export function decideReservation(command: ReservationCommand, state: ReservationState): ReservationEvent[] {
  switch (command.type) {
    case 'Reserve':
      return reserve(command, state);
    case 'Release':
      return release(command, state);
    default:
      return assertNever(command);
  }
}

/** reservationDecider is the uniqueness guard as one emmett-shaped object. */
export const reservationDecider: Decider<ReservationState, ReservationCommand, ReservationEvent> = {
  decide: decideReservation,
  evolve: evolveReservation,
  initialState: initialReservationState,
};
