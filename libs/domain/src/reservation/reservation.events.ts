import type { DomainEvent } from '../shared/message';

// Stream: unique-<kind>-<value> (see reservationStreamId). Appending NameReserved with the
// stream's expected revision is how uniqueness holds without querying a read model (rule 3).

export type ReservationKind = 'username' | 'email' | 'team' | 'namespace' | 'registry' | 'registry-hostname';

export type NameReserved = DomainEvent<
  'NameReserved',
  { kind: ReservationKind; value: string; ownerId: number; at: string }
>;
export type NameReleased = DomainEvent<
  'NameReleased',
  { kind: ReservationKind; value: string; ownerId: number; at: string }
>;
export type ReservationEvent = NameReserved | NameReleased;
