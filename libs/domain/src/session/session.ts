import type { Command, Decider, DomainEvent } from '../shared/message';
import { assertNever } from '../shared/message';
import { forbidden, illegalState } from '../shared/domain-error';

// Stream: session-<sessionId>, one per UI login. Sessions are high-churn, so they never touch the user
// stream: a login is one append here, a logout another, and "still active" marks are coalesced (at most
// one SessionTouched per session per flush interval), never one write per request.

export type SessionStarted = DomainEvent<
  'SessionStarted',
  {
    sessionId: string;
    userId: number;
    username: string;
    /** tokenHash: SHA-256 hex of the cookie's 32 random bytes; the cookie value itself is never stored. */
    tokenHash: string;
    /** expiresAt is the absolute expiry; idle expiry is checked against the last activity. */
    expiresAt: string;
    ip: string | null;
    at: string;
  }
>;
export type SessionTouched = DomainEvent<'SessionTouched', { sessionId: string; userId: number; at: string }>;
export type SessionEnded = DomainEvent<
  'SessionEnded',
  { sessionId: string; userId: number; reason: 'logout' | 'expired'; at: string }
>;
export type SessionEvent = SessionStarted | SessionTouched | SessionEnded;

/** LoginFacts is what the handler read about the user for a session login (after the password check). */
export interface LoginFacts {
  readonly exists: boolean;
  readonly enabled: boolean;
  readonly bot: boolean;
  readonly locked: boolean;
}

export type StartSession = Command<
  'StartSession',
  {
    sessionId: string;
    userId: number;
    username: string;
    tokenHash: string;
    user: LoginFacts;
    absoluteTimeoutMinutes: number;
    ip: string | null;
  }
>;
export type TouchSession = Command<'TouchSession', { seenAt: string }>;
export type EndSession = Command<'EndSession', { reason: 'logout' | 'expired' }>;
export type SessionCommand = StartSession | TouchSession | EndSession;

export interface SessionState {
  readonly started: boolean;
  readonly ended: boolean;
  readonly sessionId: string;
  readonly userId: number;
  readonly lastSeenAt: string | null;
}

/** sessionStreamId names a session's stream (the public session id, never the cookie secret). */
export const sessionStreamId = (sessionId: string): string => `session-${sessionId}`;

export const SessionErrors = {
  // One message for every refusal after a correct password too: a login never says which rule failed.
  refused: () => forbidden('SESSION.REFUSED', 'invalid username or password'),
  // Only someone who knows the bot's password gets this far, so saying why is no enumeration.
  botLogin: () => forbidden('SESSION.BOT', 'bots cannot log in to the UI; use an application token'),
  notStarted: () => illegalState('SESSION.NOT_STARTED', 'no such session'),
} as const;

const addMinutes = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

function startSession({ data, metadata }: StartSession, state: SessionState): SessionEvent[] {
  if (state.started) return [];
  const { user } = data;
  if (!user.exists || !user.enabled || user.locked) throw SessionErrors.refused();
  // Bots authenticate with application tokens only (Portus's changelog promised this; nothing enforced it).
  if (user.bot) throw SessionErrors.botLogin();
  const { sessionId, userId, username, tokenHash, ip } = data;
  const expiresAt = addMinutes(metadata.now, data.absoluteTimeoutMinutes);
  return [
    { type: 'SessionStarted', data: { sessionId, userId, username, tokenHash, expiresAt, ip, at: metadata.now } },
  ];
}

function touchSession({ data }: TouchSession, state: SessionState): SessionEvent[] {
  if (!state.started || state.ended) return [];
  // Touches arrive batched and possibly out of order across replicas: only move forward.
  if (state.lastSeenAt !== null && data.seenAt <= state.lastSeenAt) return [];
  return [{ type: 'SessionTouched', data: { sessionId: state.sessionId, userId: state.userId, at: data.seenAt } }];
}

function endSession({ data, metadata }: EndSession, state: SessionState): SessionEvent[] {
  if (!state.started) throw SessionErrors.notStarted();
  if (state.ended) return [];
  const { sessionId, userId } = state;
  return [{ type: 'SessionEnded', data: { sessionId, userId, reason: data.reason, at: metadata.now } }];
}

export function decideSession(command: SessionCommand, state: SessionState): SessionEvent[] {
  switch (command.type) {
    case 'StartSession':
      return startSession(command, state);
    case 'TouchSession':
      return touchSession(command, state);
    case 'EndSession':
      return endSession(command, state);
    default:
      return assertNever(command);
  }
}

export const initialSessionState = (): SessionState => ({
  started: false,
  ended: false,
  sessionId: '',
  userId: 0,
  lastSeenAt: null,
});

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'SessionStarted':
      return { ...state, started: true, sessionId: event.data.sessionId, userId: event.data.userId };
    case 'SessionTouched':
      return { ...state, lastSeenAt: event.data.at };
    case 'SessionEnded':
      return { ...state, ended: true };
    default:
      return assertNever(event);
  }
}

/** sessionDecider is the UI session aggregate. */
export const sessionDecider: Decider<SessionState, SessionCommand, SessionEvent> = {
  decide: decideSession,
  evolve: evolveSession,
  initialState: initialSessionState,
};
