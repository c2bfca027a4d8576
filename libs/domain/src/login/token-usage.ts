import type { Command, Decider, DomainEvent } from '../shared/message';
import { assertNever } from '../shared/message';

// Stream: application-token-<tokenId>. Last-used marks are hints written off the request path (coalesced,
// at most one per token per flush), in their own stream so they never grow the owner's user stream.

export type ApplicationTokenUsed = DomainEvent<'ApplicationTokenUsed', { tokenId: number; userId: number; at: string }>;
export type TokenUsageEvent = ApplicationTokenUsed;

export type RecordTokenUse = Command<'RecordTokenUse', { tokenId: number; userId: number; usedAt: string }>;

export interface TokenUsageState {
  readonly lastUsedAt: string | null;
}

export const tokenUsageStreamId = (tokenId: number): string => `application-token-${tokenId}`;

function decideTokenUsage(command: RecordTokenUse, state: TokenUsageState): TokenUsageEvent[] {
  switch (command.type) {
    case 'RecordTokenUse': {
      const { tokenId, userId, usedAt } = command.data;
      // Replicas flush independently: a mark older than the one recorded adds nothing.
      if (state.lastUsedAt !== null && usedAt <= state.lastUsedAt) return [];
      return [{ type: 'ApplicationTokenUsed', data: { tokenId, userId, at: usedAt } }];
    }
    default:
      return assertNever(command.type);
  }
}

/** tokenUsageDecider keeps an application token's last-used time moving forward only. */
export const tokenUsageDecider: Decider<TokenUsageState, RecordTokenUse, TokenUsageEvent> = {
  decide: decideTokenUsage,
  evolve: (_state, event) => ({ lastUsedAt: event.data.at }),
  initialState: () => ({ lastUsedAt: null }),
};
