import { z } from 'zod';
import { boolish } from '@portcullis/contracts';
import type { ActorRef } from '@portcullis/domain';
import type { Filter, ReadStore } from '@portcullis/persistence';
import { hasStarred, starCountOf, starredRepositoryIds } from '@portcullis/read-models';
import type { RepositoryStars } from './entities';
import { parse } from '../platform/http';

/** starsOf is a repository's star count and whether the caller starred it (never, for anonymous callers). */
export async function starsOf(
  store: ReadStore,
  repositoryId: number,
  viewer: ActorRef | null,
): Promise<RepositoryStars> {
  const [count, starred] = await Promise.all([
    starCountOf(store, repositoryId),
    viewer ? hasStarred(store, viewer.id, repositoryId) : false,
  ]);
  return { count, starred };
}

/** StarredQuery is the repository list's `starred` filter. */
export const StarredQuery = z.object({ starred: boolish().optional() });

/** starredFilter narrows a repository list to the caller's stars when the query says `starred=true`. */
export async function starredFilter(store: ReadStore, viewer: ActorRef, query: unknown): Promise<Filter> {
  const { starred } = parse(StarredQuery, query);
  return starred ? { id: { $in: await starredRepositoryIds(store, viewer.id) } } : {};
}
