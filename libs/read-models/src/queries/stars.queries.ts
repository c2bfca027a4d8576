import type { ReadStore } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { StarCountDoc, StarDoc } from '../stars/stars.projection';
import { starId } from '../stars/stars.projection';

/** starredRepositoryIds lists the ids of the repositories a user has starred. */
export async function starredRepositoryIds(store: ReadStore, userId: number): Promise<number[]> {
  const rows = await store.collection<StarDoc>(Collections.stars).find({ user_id: userId });
  return rows.map((s) => s.repository_id);
}

/** hasStarred says whether the user has starred the repository. */
export async function hasStarred(store: ReadStore, userId: number, repositoryId: number): Promise<boolean> {
  return (await store.collection<StarDoc>(Collections.stars).get(starId(userId, repositoryId))) !== null;
}

/** starCountOf is a repository's number of stars. */
export async function starCountOf(store: ReadStore, repositoryId: number): Promise<number> {
  return (await store.collection<StarCountDoc>(Collections.starCounts).get(String(repositoryId)))?.count ?? 0;
}
