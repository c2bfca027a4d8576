import { EventLogForTests, projectionSpecification } from '../testing/given.for-tests';
import type { SessionDoc } from './sessions.projection';
import { sessionsProjection } from './sessions.projection';

const given = projectionSpecification(sessionsProjection);
const at = (n: number) => `2030-01-01T10:0${n}:00.000Z`;

describe('sessions projection', () => {
  let log: EventLogForTests;
  beforeEach(() => (log = new EventLogForTests()));

  const started = (sessionId: string, userId: number, n = 1) =>
    log.record('SessionStarted', {
      sessionId,
      userId,
      username: `u${userId}`,
      tokenHash: `hash-${sessionId}`,
      expiresAt: '2030-01-01T22:00:00.000Z',
      ip: null,
      at: at(n),
    });
  const doc = (sessionId: string, userId: number, over: Partial<SessionDoc> = {}): SessionDoc => ({
    _id: `hash-${sessionId}`,
    session_id: sessionId,
    user_id: userId,
    created_at: at(1),
    expires_at: '2030-01-01T22:00:00.000Z',
    last_seen_at: at(1),
    ...over,
  });

  describe('When sessions start and are used', () => {
    it('keys them by the cookie hash and moves last_seen_at forward only', () =>
      given(started('a', 7))
        .when(
          log.record('SessionTouched', { sessionId: 'a', userId: 7, at: at(5) }),
          log.record('SessionTouched', { sessionId: 'a', userId: 7, at: at(3) }),
        )
        .then({ sessions: [doc('a', 7, { last_seen_at: at(5) })] }));
  });

  describe('When a session ends', () => {
    it('removes only that session', () =>
      given(started('a', 7), started('b', 7))
        .when(log.record('SessionEnded', { sessionId: 'a', userId: 7, reason: 'logout', at: at(2) }))
        .then({ sessions: [doc('b', 7)] }));
  });

  describe.each([
    ['UserDisabled', { id: 7, at: at(2) }],
    ['UserDeleted', { id: 7, username: 'u7', at: at(2) }],
    ['UserPasswordChanged', { id: 7, passwordHash: 'new', at: at(2) }],
  ])('When %s', (type, data) => {
    it("revokes the user's sessions, not others', and not later ones", () =>
      given(started('a', 7), started('b', 8))
        .when(log.record(type as 'UserDisabled', data as never), started('c', 7, 3))
        .then({ sessions: [doc('b', 8), doc('c', 7, { created_at: at(3), last_seen_at: at(3) })] }));
  });
});
