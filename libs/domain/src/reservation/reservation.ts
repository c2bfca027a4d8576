import { assertNever } from '../shared/message';
import type { ReservationEvent, ReservationKind } from './reservation.events';

/** ReservationState is who holds one unique value, or null when it is free. */
export interface ReservationState {
  readonly owner: number | null;
}

/**
 * reservationStreamId names the stream guarding one value. Values are case-folded so 'Alice' and 'alice'
 * collide, as Portus's case-insensitive lookups (and LDAP) expect.
 */
export const reservationStreamId = (kind: ReservationKind, value: string): string =>
  `unique-${kind}-${value.toLowerCase()}`;

/** initialReservationState is a free value. */
export const initialReservationState = (): ReservationState => ({
  owner: null,
});

/** evolveReservation applies one reservation event. */
export function evolveReservation(state: ReservationState, event: ReservationEvent): ReservationState {
  switch (event.type) {
    case 'NameReserved':
      return { owner: event.data.ownerId };
    case 'NameReleased':
      return { owner: null };
    default:
      return assertNever(event);
  }
}
