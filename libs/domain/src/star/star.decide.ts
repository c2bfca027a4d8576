import type { Command, Decider } from '../shared/message';
import { assertNever } from '../shared/message';
import { forbidden } from '../shared/domain-error';
import type { StarEvent } from './star.events';
import type { StarState } from './star';
import { evolveStar, initialStarState } from './star';

/** StarRepository bookmarks a repository for the user (whether they may see it is the caller's check). */
export type StarRepository = Command<'StarRepository', { userId: number; repositoryId: number }>;
/** UnstarRepository removes the bookmark. */
export type UnstarRepository = Command<'UnstarRepository', { userId: number; repositoryId: number }>;
/** StarCommand is every command the star decider accepts. */
export type StarCommand = StarRepository | UnstarRepository;

/** StarErrors lists the star rules' errors, one stable code each. */
export const StarErrors = {
  notYours: () => forbidden('STAR.FORBIDDEN', 'You can only star repositories for yourself'),
};

/**
 * decideStar: stars are a set, so starring twice or unstarring what is not starred records nothing
 * (the API still answers 204: from the user's side the repository is starred, or not, as asked).
 */
export function decideStar(command: StarCommand, state: StarState): StarEvent[] {
  const { userId, repositoryId } = command.data;
  if (command.metadata.actor?.id !== userId) throw StarErrors.notYours();
  const at = command.metadata.now;
  switch (command.type) {
    case 'StarRepository':
      return state.starred.has(repositoryId) ? [] : [{ type: 'RepositoryStarred', data: { userId, repositoryId, at } }];
    case 'UnstarRepository':
      return state.starred.has(repositoryId)
        ? [{ type: 'RepositoryUnstarred', data: { userId, repositoryId, at } }]
        : [];
    default:
      return assertNever(command);
  }
}

/** starDecider is a user's stars as one emmett-shaped object. */
export const starDecider: Decider<StarState, StarCommand, StarEvent> = {
  decide: decideStar,
  evolve: evolveStar,
  initialState: initialStarState,
};
