import { EventLogForTests, projectionSpecification } from '../testing/given.for-tests';
import { applicationTokensProjection } from './application-tokens.projection';

const given = projectionSpecification(applicationTokensProjection);
const at = '2030-01-01T00:00:00.000Z';

describe('application tokens projection', () => {
  let log: EventLogForTests;
  beforeEach(() => (log = new EventLogForTests()));

  const token = (userId: number, tokenId: number, expiresAt: string | null = null) =>
    log.record('ApplicationTokenCreated', {
      userId,
      tokenId,
      application: `app${tokenId}`,
      tokenHash: `secret-hash-${tokenId}`,
      expiresAt,
      at,
    });

  describe('When a token is created', () => {
    it('keeps its metadata and never its hash', async () => {
      const store = await given()
        .when(token(1, 10, '2031-01-01T00:00:00.000Z'))
        .then({
          application_tokens: [
            {
              _id: '10',
              id: 10,
              user_id: 1,
              application: 'app10',
              expires_at: '2031-01-01T00:00:00.000Z',
              created_at: at,
            },
          ],
        });
      expect(JSON.stringify(store.dump(['application_tokens']))).not.toContain('secret');
    });
  });

  describe('When a token is revoked', () => {
    it('removes it', () =>
      given(token(1, 10), token(1, 11))
        .when(
          log.record('ApplicationTokenRevoked', {
            userId: 1,
            tokenId: 10,
            application: 'app10',
            at,
          }),
        )
        .then({
          application_tokens: [
            {
              _id: '11',
              id: 11,
              user_id: 1,
              application: 'app11',
              expires_at: null,
              created_at: at,
            },
          ],
        }));
  });

  describe('When the owner is deleted', () => {
    it('removes their tokens', () =>
      given(token(1, 10), token(2, 11))
        .when(log.record('UserDeleted', { id: 1, username: 'u1', at }))
        .then({
          application_tokens: [
            {
              _id: '11',
              id: 11,
              user_id: 2,
              application: 'app11',
              expires_at: null,
              created_at: at,
            },
          ],
        }));
  });
});
