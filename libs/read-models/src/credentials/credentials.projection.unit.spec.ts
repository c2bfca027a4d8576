import { EventLogForTests, projectionSpecification } from '../testing/given.for-tests';
import { credentialsProjection } from './credentials.projection';

const given = projectionSpecification(credentialsProjection);
const at = '2030-01-01T00:00:00.000Z';

describe('credentials projection', () => {
  let log: EventLogForTests;
  beforeEach(() => (log = new EventLogForTests()));

  const registered = (id: number, passwordHash: string | null) =>
    log.record('UserRegistered', {
      id,
      username: `u${id}`,
      email: null,
      displayName: null,
      passwordHash,
      admin: false,
      bot: false,
      at,
    });
  const token = (userId: number, tokenId: number, tokenHash: string) =>
    log.record('ApplicationTokenCreated', {
      userId,
      tokenId,
      application: `app${tokenId}`,
      tokenHash,
      expiresAt: null,
      at,
    });

  describe('When a user registers', () => {
    it('keeps the password hash under password:<id>', () =>
      given()
        .when(registered(1, 'h1'))
        .then({
          credentials: [
            {
              _id: 'password:1',
              kind: 'password',
              userId: 1,
              passwordHash: 'h1',
            },
          ],
        }));

    it('keeps nothing for a user without a local password (LDAP)', () =>
      given().when(registered(1, null)).then({ credentials: [] }));
  });

  describe('When the password changes', () => {
    it('replaces the hash', () =>
      given(registered(1, 'h1'))
        .when(log.record('UserPasswordChanged', { id: 1, passwordHash: 'h2', at }))
        .then({
          credentials: [
            {
              _id: 'password:1',
              kind: 'password',
              userId: 1,
              passwordHash: 'h2',
            },
          ],
        }));
  });

  describe('When application tokens are created and revoked', () => {
    it('keeps live tokens by hash and drops revoked ones', () =>
      given(registered(1, 'h1'), token(1, 10, 'aaa'), token(1, 11, 'bbb'))
        .when(
          log.record('ApplicationTokenRevoked', {
            userId: 1,
            tokenId: 10,
            application: 'app10',
            at,
          }),
        )
        .then({
          credentials: [
            {
              _id: 'password:1',
              kind: 'password',
              userId: 1,
              passwordHash: 'h1',
            },
            {
              _id: 'token:bbb',
              kind: 'token',
              userId: 1,
              tokenId: 11,
              expiresAt: null,
            },
          ],
        }));
  });

  describe('When the user is deleted', () => {
    it('drops their password and tokens, not other users’', () =>
      given(registered(1, 'h1'), token(1, 10, 'aaa'), registered(2, 'h2'), token(2, 12, 'ccc'))
        .when(log.record('UserDeleted', { id: 1, username: 'u1', at }))
        .then({
          credentials: [
            {
              _id: 'password:2',
              kind: 'password',
              userId: 2,
              passwordHash: 'h2',
            },
            {
              _id: 'token:ccc',
              kind: 'token',
              userId: 2,
              tokenId: 12,
              expiresAt: null,
            },
          ],
        }));
  });
});
