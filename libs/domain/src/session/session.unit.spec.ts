import { DeciderSpecification } from '../shared/decider-specification';
import type { CommandMetadata } from '../shared/message';
import { sessionDecider, type SessionEvent, type StartSession } from './session';

const spec = DeciderSpecification.for(sessionDecider);
const now = '2030-01-01T10:00:00.000Z';
const meta: CommandMetadata = { now, actor: null };
const user = { exists: true, enabled: true, bot: false, locked: false };
const start = (facts = user): StartSession => ({
  type: 'StartSession',
  data: {
    sessionId: 's1',
    userId: 7,
    username: 'alice',
    tokenHash: 'h',
    user: facts,
    absoluteTimeoutMinutes: 60,
    ip: '127.0.0.1',
  },
  metadata: meta,
});
const started: SessionEvent = {
  type: 'SessionStarted',
  data: {
    sessionId: 's1',
    userId: 7,
    username: 'alice',
    tokenHash: 'h',
    expiresAt: '2030-01-01T11:00:00.000Z',
    ip: '127.0.0.1',
    at: now,
  },
};

describe('When no session exists', () => {
  it('starts one with its absolute expiry', () => spec([]).when(start()).then([started]));
  it.each([
    ['a disabled user', { ...user, enabled: false }, 'SESSION.REFUSED'],
    ['a locked user', { ...user, locked: true }, 'SESSION.REFUSED'],
    ['an unknown user', { ...user, exists: false }, 'SESSION.REFUSED'],
    ['a bot', { ...user, bot: true }, 'SESSION.BOT'],
  ])('refuses %s', (_, facts, code) => {
    spec([]).when(start(facts)).thenThrows(code);
  });
  it('cannot be ended', () => {
    spec([])
      .when({ type: 'EndSession', data: { reason: 'logout' }, metadata: meta })
      .thenThrows('SESSION.NOT_STARTED');
  });
});

describe('When a session is running', () => {
  const touch = (seenAt: string) => ({ type: 'TouchSession' as const, data: { seenAt }, metadata: meta });
  it('records activity only forward', () => {
    spec([started])
      .when(touch('2030-01-01T10:05:00.000Z'))
      .then([{ type: 'SessionTouched', data: { sessionId: 's1', userId: 7, at: '2030-01-01T10:05:00.000Z' } }]);
    spec([started, { type: 'SessionTouched', data: { sessionId: 's1', userId: 7, at: '2030-01-01T10:05:00.000Z' } }])
      .when(touch('2030-01-01T10:04:00.000Z'))
      .then([]);
  });
  it('ends once on logout', () => {
    const ended: SessionEvent = {
      type: 'SessionEnded',
      data: { sessionId: 's1', userId: 7, reason: 'logout', at: now },
    };
    spec([started])
      .when({ type: 'EndSession', data: { reason: 'logout' }, metadata: meta })
      .then([ended]);
    spec([started, ended])
      .when({ type: 'EndSession', data: { reason: 'logout' }, metadata: meta })
      .then([]);
  });
  it('is not started twice', () => spec([started]).when(start()).then([]));
});
