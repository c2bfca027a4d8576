import { EventLogForTests, projectionSpecification } from '../testing/given.for-tests';
import type { UserDoc } from './users.projection';
import { usersProjection } from './users.projection';

const given = projectionSpecification(usersProjection);
const at = (n: number) => `2030-01-0${n}T00:00:00.000Z`;

describe('users projection', () => {
  let log: EventLogForTests;
  beforeEach(() => (log = new EventLogForTests()));

  const registered = (id = 7, username = 'alice') =>
    log.record('UserRegistered', {
      id,
      username,
      email: `${username}@example.com`,
      displayName: null,
      passwordHash: 'hash',
      admin: false,
      bot: false,
      at: at(1),
    });

  const alice = (over: Partial<UserDoc> = {}): UserDoc => ({
    _id: '7',
    id: 7,
    username: 'alice',
    email: 'alice@example.com',
    display_name: null,
    admin: false,
    enabled: true,
    bot: false,
    namespace_id: null,
    created_at: at(1),
    updated_at: at(1),
    ...over,
  });

  describe('When a user registers', () => {
    it('creates the user, enabled, with no personal namespace yet', () =>
      given()
        .when(registered())
        .then({ users: [alice()] }));
  });

  describe('When their personal namespace is created', () => {
    it('links it without touching updated_at', () =>
      given(registered())
        .when(
          log.record('NamespaceCreated', {
            id: 3,
            name: 'alice',
            kind: 'personal',
            registryId: 1,
            teamId: 4,
            ownerUserId: 7,
            description: '',
            visibility: 'private',
            at: at(2),
          }),
        )
        .then({ users: [alice({ namespace_id: 3 })] }));

    it('ignores team namespaces', () =>
      given(registered())
        .when(
          log.record('NamespaceCreated', {
            id: 3,
            name: 'devs',
            kind: 'team',
            registryId: 1,
            teamId: 4,
            ownerUserId: null,
            description: '',
            visibility: 'private',
            at: at(2),
          }),
        )
        .then({ users: [alice()] }));
  });

  describe('When the user is updated', () => {
    it('applies only the changed fields', () =>
      given(registered())
        .when(
          log.record('UserUpdated', {
            id: 7,
            changes: { email: 'a@b.c', displayName: 'Alice' },
            previous: { email: 'alice@example.com', displayName: null },
            at: at(2),
          }),
        )
        .then({
          users: [alice({ email: 'a@b.c', display_name: 'Alice', updated_at: at(2) })],
        }));

    it('follows disable, enable, admin grant and revoke, and password changes', () =>
      given(registered())
        .when(
          log.record('UserDisabled', { id: 7, at: at(2) }),
          log.record('UserAdminGranted', { id: 7, at: at(3) }),
          log.record('UserEnabled', { id: 7, at: at(4) }),
          log.record('UserDisabled', { id: 7, at: at(5) }),
          log.record('UserAdminRevoked', { id: 7, at: at(6) }),
          log.record('UserAdminGranted', { id: 7, at: at(7) }),
          log.record('UserPasswordChanged', {
            id: 7,
            passwordHash: 'new',
            at: at(8),
          }),
        )
        .then({
          users: [alice({ enabled: false, admin: true, updated_at: at(8) })],
        }));

    it('ignores changes to an unknown user', () =>
      given()
        .when(log.record('UserDisabled', { id: 99, at: at(2) }))
        .then({ users: [] }));
  });

  describe('When the user is deleted', () => {
    it('removes them and leaves others', () =>
      given(registered(), registered(8, 'bob'))
        .when(log.record('UserDeleted', { id: 8, username: 'bob', at: at(2) }))
        .then({ users: [alice()] }));
  });

  describe('When a personal namespace is deleted', () => {
    it('unlinks it', () =>
      given(
        registered(),
        log.record('NamespaceCreated', {
          id: 3,
          name: 'alice',
          kind: 'personal',
          registryId: 1,
          teamId: 4,
          ownerUserId: 7,
          description: '',
          visibility: 'private',
          at: at(2),
        }),
      )
        .when(
          log.record('NamespaceDeleted', {
            id: 3,
            name: 'alice',
            teamId: 4,
            registryId: 1,
            at: at(3),
          }),
        )
        .then({ users: [alice()] }));
  });
});
