import { DeciderSpecification } from '../shared/decider-specification';
import type { CommandMetadata } from '../shared/message';
import type { ReservationEvent, ReservationKind } from './reservation.events';
import type { ReservationCommand } from './reservation.decide';
import { reservationDecider } from './reservation.decide';
import { reservationStreamId } from './reservation';

const spec = DeciderSpecification.for(reservationDecider);
const now = '2024-05-01T10:00:00.000Z';
const metadata: CommandMetadata = { now, actor: null };
const reserve = (kind: ReservationKind, value: string, ownerId: number): ReservationCommand => ({
  type: 'Reserve',
  data: { kind, value, ownerId },
  metadata,
});
const release = (kind: ReservationKind, value: string, ownerId: number): ReservationCommand => ({
  type: 'Release',
  data: { kind, value, ownerId },
  metadata,
});
const reserved = (kind: ReservationKind, value: string, ownerId: number): ReservationEvent => ({
  type: 'NameReserved',
  data: { kind, value, ownerId, at: now },
});
const released = (kind: ReservationKind, value: string, ownerId: number): ReservationEvent => ({
  type: 'NameReleased',
  data: { kind, value, ownerId, at: now },
});

describe('When the value is free', () => {
  it('reserves it', () => {
    spec([])
      .when(reserve('team', 'devs', 7))
      .then([reserved('team', 'devs', 7)]);
  });
  it('ignores a release', () => {
    spec([])
      .when(release('team', 'devs', 7))
      .then([]);
  });
  it('refuses a blank value', () => {
    spec([])
      .when(reserve('team', '', 7))
      .thenThrows('RESERVATION.BLANK_VALUE');
  });
});

describe('When the value is reserved', () => {
  const taken = [reserved('team', 'devs', 7)];
  it('is idempotent for the same owner', () => {
    spec(taken)
      .when(reserve('team', 'devs', 7))
      .then([]);
  });
  it('refuses another owner with a per-kind code and a Portus-like message', () => {
    const error = spec(taken)
      .when(reserve('team', 'devs', 8))
      .thenThrows('TEAM.NAME_TAKEN');
    expect(error.message).toBe("Team name 'devs' has already been taken");
    expect(error.category).toBe('conflict');
  });
  it.each<[ReservationKind, string]>([
    ['username', 'USERNAME.NAME_TAKEN'],
    ['email', 'EMAIL.NAME_TAKEN'],
    ['namespace', 'NAMESPACE.NAME_TAKEN'],
    ['registry', 'REGISTRY.NAME_TAKEN'],
    ['registry-hostname', 'REGISTRY_HOSTNAME.NAME_TAKEN'],
  ])('refuses a taken %s with %s', (kind, code) => {
    spec([reserved(kind, 'x', 1)])
      .when(reserve(kind, 'x', 2))
      .thenThrows(code);
  });
  it('lets the owner release it', () => {
    spec(taken)
      .when(release('team', 'devs', 7))
      .then([released('team', 'devs', 7)]);
  });
  it('ignores a release by someone else', () => {
    spec(taken)
      .when(release('team', 'devs', 8))
      .then([]);
  });
});

describe('When the value was released', () => {
  it('can be reserved by someone else', () => {
    spec([reserved('team', 'devs', 7), released('team', 'devs', 7)])
      .when(reserve('team', 'devs', 8))
      .then([reserved('team', 'devs', 8)]);
  });
});

describe('reservationStreamId', () => {
  it('case-folds so Alice and alice collide', () => {
    expect(reservationStreamId('username', 'Alice')).toBe(reservationStreamId('username', 'alice'));
  });
  it('keeps kinds apart', () => {
    expect(reservationStreamId('username', 'a')).toBe('unique-username-a');
  });
});
