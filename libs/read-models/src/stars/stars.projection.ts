import type { RepositoryDeleted, StarEvent, UserDeleted } from '@portcullis/domain';
import type { Collection, Doc, ReadStore, RecordedEvent } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { Projection } from '../projection';
import { index } from '../projection';

/** StarDoc is one user's star on one repository (`stars`, `_id` = `<userId>:<repositoryId>`). */
export interface StarDoc extends Doc {
  user_id: number;
  repository_id: number;
  created_at: string;
}

/** StarCountDoc is a repository's number of stars (`star_counts`, `_id` = String(repositoryId)); absent = 0. */
export interface StarCountDoc extends Doc {
  repository_id: number;
  count: number;
}

/** starId is the `_id` of a star. */
export const starId = (userId: number, repositoryId: number): string => `${userId}:${repositoryId}`;

const stars = Collections.stars;
const counts = Collections.starCounts;

type StarsInput = StarEvent | RepositoryDeleted | UserDeleted;

/** asStarsInput views a recorded event as the events this projection reads (the store gives untyped JSON). */
function asStarsInput(event: RecordedEvent): StarsInput {
  return { type: event.type, data: event.data } as unknown as StarsInput;
}

/**
 * starsProjection keeps every user's starred set and each repository's count. A count is recomputed from
 * the stars after each change, never incremented, so a replayed event cannot count twice. Stars go with
 * their repository and with their user.
 */
export const starsProjection: Projection = {
  name: 'stars',
  collections: [stars, counts],
  indexes: {
    [stars]: [index(stars, 'user_id'), index(stars, 'repository_id')],
  },
  canHandle: ['RepositoryStarred', 'RepositoryUnstarred', 'RepositoryDeleted', 'UserDeleted'],
  async apply(recorded, store) {
    const event = asStarsInput(recorded);
    const col = store.collection<StarDoc>(stars);
    switch (event.type) {
      case 'RepositoryStarred': {
        const { userId, repositoryId, at } = event.data;
        const id = starId(userId, repositoryId);
        // Keep the first star's time on a replay.
        const existing = await col.get(id);
        await col.upsert({
          _id: id,
          user_id: userId,
          repository_id: repositoryId,
          created_at: existing?.created_at ?? at,
        });
        return recount(store, col, repositoryId);
      }
      case 'RepositoryUnstarred':
        await col.delete(starId(event.data.userId, event.data.repositoryId));
        return recount(store, col, event.data.repositoryId);
      case 'RepositoryDeleted':
        await col.deleteMany({ repository_id: event.data.id });
        return store.collection(counts).delete(String(event.data.id));
      case 'UserDeleted': {
        const theirs = await col.find({ user_id: event.data.id });
        await col.deleteMany({ user_id: event.data.id });
        for (const s of theirs) await recount(store, col, s.repository_id);
        return;
      }
    }
  },
};

async function recount(store: ReadStore, col: Collection<StarDoc>, repositoryId: number): Promise<void> {
  const count = await col.count({ repository_id: repositoryId });
  const countsCol = store.collection<StarCountDoc>(counts);
  if (count === 0) await countsCol.delete(String(repositoryId));
  else await countsCol.upsert({ _id: String(repositoryId), repository_id: repositoryId, count });
}
