import type { Command, Decider, DomainEvent } from '../shared/message';
import { assertNever } from '../shared/message';
import { forbidden } from '../shared/domain-error';

// Stream: login-<userId>. Failed logins and locks live beside the user stream, not in it: an attack
// appends here (at most one LoginFailed per flush plus one UserLocked per window), and the user
// aggregate that every profile command loads stays small.

export type LoginFailed = DomainEvent<
  'LoginFailed',
  {
    userId: number;
    /** attempts: failures coalesced into this event (the api batches them off the request path). */
    attempts: number;
    source: LoginSource;
    ip: string | null;
    /** firstAt/at: the first and last failure of the batch. */
    firstAt: string;
    at: string;
  }
>;
export type UserLocked = DomainEvent<'UserLocked', { userId: number; failures: number; at: string }>;
export type UserUnlocked = DomainEvent<'UserUnlocked', { userId: number; at: string }>;
export type LockoutEvent = LoginFailed | UserLocked | UserUnlocked;

/** LoginSource is where a password was tried: the registry token endpoint or the UI session login. */
export type LoginSource = 'registry' | 'session';

/** LockoutPolicy is `lockout.max_attempts` and `lockout.unlock_after_minutes`. */
export interface LockoutPolicy {
  readonly maxAttempts: number;
  readonly unlockAfterMinutes: number;
}

export type RecordLoginFailures = Command<
  'RecordLoginFailures',
  { userId: number; failedAt: readonly string[]; source: LoginSource; ip: string | null; policy: LockoutPolicy }
>;
export type UnlockUser = Command<'UnlockUser', { userId: number; policy: LockoutPolicy }>;
export type LockoutCommand = RecordLoginFailures | UnlockUser;

export interface LockoutState {
  /** failures since the last lock or unlock (each with its time), for the sliding window. */
  readonly failures: readonly string[];
  readonly lockedAt: string | null;
}

/** loginStreamId names the stream of a user's failed logins and locks. */
export const loginStreamId = (userId: number): string => `login-${userId}`;

const ms = (minutes: number) => minutes * 60_000;

/**
 * isLockedAt: a lock lasts `unlockAfterMinutes` (Portus/Devise: 10 min, unlock strategy "time"); no
 * event is needed to end it, so an unlock never depends on a background job having run.
 */
export function isLockedAt(lockedAt: string | null, now: string, policy: LockoutPolicy): boolean {
  return lockedAt !== null && Date.parse(now) < Date.parse(lockedAt) + ms(policy.unlockAfterMinutes);
}

/**
 * recordLoginFailures: N failures within the unlock window lock the account. A sliding window rather
 * than Devise's counter-reset-on-success, because a successful `docker login` must not write (the token
 * path never appends), so there would be nothing to reset a counter with.
 */
function recordLoginFailures({ data, metadata }: RecordLoginFailures, state: LockoutState): LockoutEvent[] {
  if (data.failedAt.length === 0) return [];
  const times = [...data.failedAt].sort();
  const { userId, source, ip, policy } = data;
  const at = times[times.length - 1];
  const failed: LockoutEvent = {
    type: 'LoginFailed',
    data: { userId, attempts: times.length, source, ip, firstAt: times[0], at },
  };
  if (isLockedAt(state.lockedAt, metadata.now, policy)) return [failed];
  const since = Date.parse(metadata.now) - ms(policy.unlockAfterMinutes);
  const recent = [...state.failures, ...times].filter((t) => Date.parse(t) > since);
  if (recent.length < policy.maxAttempts) return [failed];
  return [failed, { type: 'UserLocked', data: { userId, failures: recent.length, at } }];
}

function unlockUser({ data, metadata }: UnlockUser, state: LockoutState): LockoutEvent[] {
  if (!metadata.actor?.admin) throw forbidden('USER.FORBIDDEN', 'Only admins can unlock users');
  // Also clears pending failures, so the next wrong password does not lock the user again at once.
  if (!isLockedAt(state.lockedAt, metadata.now, data.policy) && state.failures.length === 0) return [];
  return [{ type: 'UserUnlocked', data: { userId: data.userId, at: metadata.now } }];
}

export function decideLockout(command: LockoutCommand, state: LockoutState): LockoutEvent[] {
  switch (command.type) {
    case 'RecordLoginFailures':
      return recordLoginFailures(command, state);
    case 'UnlockUser':
      return unlockUser(command, state);
    default:
      return assertNever(command);
  }
}

export const initialLockoutState = (): LockoutState => ({ failures: [], lockedAt: null });

export function evolveLockout(state: LockoutState, event: LockoutEvent): LockoutState {
  switch (event.type) {
    case 'LoginFailed': {
      // Only the times matter for the window; the batch's spread is kept as first/last.
      const { attempts, firstAt, at } = event.data;
      const times = Array.from({ length: attempts }, (_, i) => (i === attempts - 1 ? at : firstAt));
      return { ...state, failures: [...state.failures, ...times] };
    }
    case 'UserLocked':
      return { failures: [], lockedAt: event.data.at };
    case 'UserUnlocked':
      return { failures: [], lockedAt: null };
    default:
      return assertNever(event);
  }
}

/** lockoutDecider is the brute-force lock of one user. */
export const lockoutDecider: Decider<LockoutState, LockoutCommand, LockoutEvent> = {
  decide: decideLockout,
  evolve: evolveLockout,
  initialState: initialLockoutState,
};
