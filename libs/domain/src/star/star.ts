import { assertNever } from '../shared/message';
import type { StarEvent } from './star.events';

/** StarState is the set of repository ids one user has starred. */
export interface StarState {
  readonly starred: ReadonlySet<number>;
}

/** starStreamId names a user's stars stream. */
export const starStreamId = (userId: number): string => `stars-${userId}`;

/** initialStarState is a user who starred nothing. */
export const initialStarState = (): StarState => ({ starred: new Set() });

/** evolveStar applies one star event. */
export function evolveStar(state: StarState, event: StarEvent): StarState {
  const next = new Set(state.starred);
  switch (event.type) {
    case 'RepositoryStarred':
      next.add(event.data.repositoryId);
      return { starred: next };
    case 'RepositoryUnstarred':
      next.delete(event.data.repositoryId);
      return { starred: next };
    default:
      return assertNever(event);
  }
}
