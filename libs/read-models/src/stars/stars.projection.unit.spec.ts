import type { Doc, RecordedEvent } from '@portcullis/persistence';
import { projectionSpecification } from '../testing/given.for-tests';
import { starsProjection } from './stars.projection';

let position = 0n;
const event = (type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `event-${position}`,
  streamId: 'stream',
  type,
  revision: 0n,
  position: position++,
  data,
  metadata: {},
  created: '2030-01-01T00:00:00.000Z',
});
const at = (n: number) => `2030-01-0${n}T00:00:00.000Z`;
const starred = (userId: number, repositoryId: number, n = 1) =>
  event('RepositoryStarred', { userId, repositoryId, at: at(n) });
const unstarred = (userId: number, repositoryId: number) =>
  event('RepositoryUnstarred', { userId, repositoryId, at: at(9) });
const star = (userId: number, repositoryId: number, n = 1): Doc => ({
  _id: `${userId}:${repositoryId}`,
  user_id: userId,
  repository_id: repositoryId,
  created_at: at(n),
});
const count = (repositoryId: number, n: number): Doc => ({
  _id: String(repositoryId),
  repository_id: repositoryId,
  count: n,
});

const spec = projectionSpecification(starsProjection);

describe('stars projection', () => {
  it('records a star and counts it', async () => {
    await spec()
      .when(starred(2, 7))
      .then({ stars: [star(2, 7)], star_counts: [count(7, 1)] });
  });

  it('counts each user once per repository, however often the event is applied', async () => {
    await spec(starred(2, 7), starred(3, 7, 2))
      .when(starred(4, 7, 3), starred(2, 8))
      .then({
        stars: [star(2, 7), star(3, 7, 2), star(4, 7, 3), star(2, 8)],
        star_counts: [count(7, 3), count(8, 1)],
      });
  });

  it('removes an unstarred star and drops a count that reaches zero', async () => {
    await spec(starred(2, 7), starred(3, 7), starred(2, 8))
      .when(unstarred(2, 7), unstarred(2, 8))
      .then({ stars: [star(3, 7)], star_counts: [count(7, 1)] });
  });

  it('forgets the stars of a deleted repository', async () => {
    await spec(starred(2, 7), starred(3, 7), starred(2, 8))
      .when(event('RepositoryDeleted', { id: 7, registryId: 1, fullName: 'a/b', namespaceId: 1, by: {}, at: at(5) }))
      .then({ stars: [star(2, 8)], star_counts: [count(8, 1)] });
  });

  it('forgets a deleted user’s stars and recounts their repositories', async () => {
    await spec(starred(2, 7), starred(3, 7), starred(2, 8))
      .when(event('UserDeleted', { id: 2, username: 'uma', at: at(5) }))
      .then({ stars: [star(3, 7)], star_counts: [count(7, 1)] });
  });
});
