import { DeciderSpecification } from '../shared/decider-specification';
import type { ActorRef } from '../shared/message';
import { isLockedAt, lockoutDecider, type LockoutEvent, type RecordLoginFailures } from './lockout';
import { tokenUsageDecider } from './token-usage';

const spec = DeciderSpecification.for(lockoutDecider);
const policy = { maxAttempts: 3, unlockAfterMinutes: 10 };
const t = (minute: number) => `2030-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const admin: ActorRef = { id: 1, username: 'root', admin: true };
const fail = (now: string, ...failedAt: string[]): RecordLoginFailures => ({
  type: 'RecordLoginFailures',
  data: { userId: 7, failedAt, source: 'registry', ip: '10.0.0.1', policy },
  metadata: { now, actor: null },
});
const failed = (first: string, at: string, attempts: number): LockoutEvent => ({
  type: 'LoginFailed',
  data: { userId: 7, attempts, source: 'registry', ip: '10.0.0.1', firstAt: first, at },
});
const locked = (at: string, failures = 3): LockoutEvent => ({ type: 'UserLocked', data: { userId: 7, failures, at } });

describe('When failures arrive', () => {
  it('records a batch as one event', () =>
    spec([])
      .when(fail(t(1), t(0), t(1)))
      .then([failed(t(0), t(1), 2)]));
  it('locks at max_attempts within the window', () =>
    spec([failed(t(0), t(1), 2)])
      .when(fail(t(2), t(2)))
      .then([failed(t(2), t(2), 1), locked(t(2))]));
  it('forgets failures older than the window (sliding, no reset-on-success write needed)', () =>
    spec([failed(t(0), t(1), 2)])
      .when(fail(t(15), t(15)))
      .then([failed(t(15), t(15), 1)]));
  it('records but does not lock again while locked', () =>
    spec([locked(t(2))])
      .when(fail(t(3), t(3), t(3), t(3)))
      .then([failed(t(3), t(3), 3)]));
  it('ignores an empty batch', () =>
    spec([])
      .when(fail(t(1)))
      .then([]));
});

describe('When an admin unlocks', () => {
  const unlock = (actor: ActorRef | null, now = t(3)) => ({
    type: 'UnlockUser' as const,
    data: { userId: 7, policy },
    metadata: { now, actor },
  });
  it('unlocks a locked user', () =>
    spec([locked(t(2))])
      .when(unlock(admin))
      .then([{ type: 'UserUnlocked', data: { userId: 7, at: t(3) } }]));
  it('is a no-op for an unlocked user', () => spec([]).when(unlock(admin)).then([]));
  it('is admin-only', () => {
    spec([locked(t(2))])
      .when(unlock(null))
      .thenThrows('USER.FORBIDDEN');
  });
});

describe('isLockedAt', () => {
  it.each([
    [null, t(0), false],
    [t(0), t(9), true],
    [t(0), t(10), false],
  ])('locked at %s, now %s → %s', (at, now, out) => expect(isLockedAt(at, now, policy)).toBe(out));
});

describe('token usage', () => {
  const use = (usedAt: string) => ({
    type: 'RecordTokenUse' as const,
    data: { tokenId: 3, userId: 7, usedAt },
    metadata: { now: usedAt, actor: null },
  });
  const tokens = DeciderSpecification.for(tokenUsageDecider);
  it('moves last-used forward only', () => {
    const used = { type: 'ApplicationTokenUsed' as const, data: { tokenId: 3, userId: 7, at: t(5) } };
    tokens([])
      .when(use(t(5)))
      .then([used]);
    tokens([used])
      .when(use(t(4)))
      .then([]);
  });
});
