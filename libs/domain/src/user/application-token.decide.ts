import type { Command } from '../shared/message';
import { UserErrors } from './user.errors';
import { hasControlChars } from '../shared/text';
import type { UserEvent } from './user.events';
import type { UserState } from './user';
import { requireLiveUser, requireTokenManager } from './user.guards';

// Application tokens live in their owner's stream (see user.events.ts); these rules are routed by decideUser.

/** CreateApplicationToken stores a token hash; `max` is settings.applicationTokensMax. */
export type CreateApplicationToken = Command<
  'CreateApplicationToken',
  {
    tokenId: number;
    application: string;
    tokenHash: string;
    expiresAt: string | null;
    max: number;
  }
>;
/** RevokeApplicationToken deletes one token. */
export type RevokeApplicationToken = Command<'RevokeApplicationToken', { tokenId: number }>;

const MAX_APPLICATION = 255;

function checkApplication(application: string): void {
  const bad = application.length === 0 || application.length > MAX_APPLICATION;
  if (bad || hasControlChars(application)) throw UserErrors.tokenInvalidApplication();
}

function checkExpiry(expiresAt: string | null, now: string): void {
  if (expiresAt === null) return;
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t) || t <= Date.parse(now)) throw UserErrors.tokenInvalidExpiry();
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** createApplicationToken enforces ownership, the per-user name uniqueness and the token limit. */
export function createApplicationToken(cmd: CreateApplicationToken, state: UserState): UserEvent[] {
  const { data, metadata } = cmd;
  requireLiveUser(state);
  requireTokenManager(metadata.actor, state);
  if (!state.enabled) throw UserErrors.disabled();
  const application = data.application.trim();
  checkApplication(application);
  checkExpiry(data.expiresAt, metadata.now);
  if (state.tokens.some((t) => sameName(t.application, application))) {
    throw UserErrors.tokenNameTaken(application);
  }
  if (state.tokens.length >= data.max) throw UserErrors.tokenLimit(data.max);
  const { tokenId, tokenHash, expiresAt } = data;
  const event = { userId: state.id, tokenId, application, tokenHash };
  const at = metadata.now;
  return [{ type: 'ApplicationTokenCreated', data: { ...event, expiresAt, at } }];
}

/** revokeApplicationToken removes one token the actor may manage. */
export function revokeApplicationToken(cmd: RevokeApplicationToken, state: UserState): UserEvent[] {
  const { data, metadata } = cmd;
  requireLiveUser(state);
  requireTokenManager(metadata.actor, state);
  const token = state.tokens.find((t) => t.tokenId === data.tokenId);
  if (token === undefined) throw UserErrors.tokenNotFound();
  const { tokenId, application } = token;
  const event = { userId: state.id, tokenId, application, at: metadata.now };
  return [{ type: 'ApplicationTokenRevoked', data: event }];
}
