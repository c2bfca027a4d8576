import type { Command } from '../shared/message';
import {
  conflict,
  illegalState,
  notFound,
  validation,
} from '../shared/domain-error';
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
export type RevokeApplicationToken = Command<
  'RevokeApplicationToken',
  { tokenId: number }
>;

function checkExpiry(expiresAt: string | null, now: string): void {
  if (expiresAt === null) return;
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t) || t <= Date.parse(now)) {
    throw validation(
      'TOKEN.INVALID_EXPIRY',
      'expiry must be a date in the future',
      'expiresAt',
    );
  }
}

/** createApplicationToken enforces ownership, the per-user name uniqueness and the token limit. */
export function createApplicationToken(
  { data, metadata }: CreateApplicationToken,
  state: UserState,
): UserEvent[] {
  requireLiveUser(state);
  requireTokenManager(metadata.actor, state);
  if (!state.enabled)
    throw illegalState(
      'USER.DISABLED',
      'A disabled user cannot get new tokens',
    );
  const application = data.application.trim();
  if (
    application.length === 0 ||
    application.length > 255 ||
    hasControlChars(application)
  ) {
    throw validation(
      'TOKEN.INVALID_APPLICATION',
      'application must be 1 to 255 characters',
      'application',
    );
  }
  checkExpiry(data.expiresAt, metadata.now);
  const key = application.toLowerCase();
  if (state.tokens.some((t) => t.application.toLowerCase() === key)) {
    throw conflict(
      'TOKEN.NAME_TAKEN',
      `Application '${application}' has already been taken`,
      'application',
    );
  }
  if (state.tokens.length >= data.max) {
    throw illegalState(
      'TOKEN.LIMIT',
      `Users cannot have more than ${data.max} application tokens`,
    );
  }
  const { tokenId, tokenHash, expiresAt } = data;
  const event = {
    userId: state.id,
    tokenId,
    application,
    tokenHash,
    expiresAt,
    at: metadata.now,
  };
  return [{ type: 'ApplicationTokenCreated', data: event }];
}

/** revokeApplicationToken removes one token the actor may manage. */
export function revokeApplicationToken(
  { data, metadata }: RevokeApplicationToken,
  state: UserState,
): UserEvent[] {
  requireLiveUser(state);
  requireTokenManager(metadata.actor, state);
  const token = state.tokens.find((t) => t.tokenId === data.tokenId);
  if (token === undefined)
    throw notFound('TOKEN.NOT_FOUND', 'Application token not found');
  const event = {
    userId: state.id,
    tokenId: token.tokenId,
    application: token.application,
    at: metadata.now,
  };
  return [{ type: 'ApplicationTokenRevoked', data: event }];
}
