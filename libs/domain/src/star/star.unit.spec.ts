import { DeciderSpecification } from '../shared/decider-specification';
import type { ActorRef, CommandMetadata } from '../shared/message';
import type { StarCommand } from './star.decide';
import { starDecider } from './star.decide';
import type { StarEvent } from './star.events';
import { starStreamId } from './star';

const spec = DeciderSpecification.for(starDecider);
const now = '2030-01-01T00:00:00.000Z';
const uma: ActorRef = { id: 2, username: 'uma', admin: false };
const meta = (actor: ActorRef | null = uma): CommandMetadata => ({ now, actor });
const star = (repositoryId: number, metadata = meta()): StarCommand => ({
  type: 'StarRepository',
  data: { userId: 2, repositoryId },
  metadata,
});
const unstar = (repositoryId: number, metadata = meta()): StarCommand => ({
  type: 'UnstarRepository',
  data: { userId: 2, repositoryId },
  metadata,
});
const starred = (repositoryId: number): StarEvent => ({
  type: 'RepositoryStarred',
  data: { userId: 2, repositoryId, at: now },
});
const unstarred = (repositoryId: number): StarEvent => ({
  type: 'RepositoryUnstarred',
  data: { userId: 2, repositoryId, at: now },
});

describe('stars', () => {
  it('keeps one stream per user', () => {
    expect(starStreamId(2)).toBe('stars-2');
  });

  describe('When the repository is not starred', () => {
    it('stars it', () =>
      spec([])
        .when(star(7))
        .then([starred(7)]));
    it('records nothing on unstar', () => spec([]).when(unstar(7)).then([]));
    it('records nothing on unstar after an unstar', () =>
      spec([starred(7), unstarred(7)])
        .when(unstar(7))
        .then([]));
  });

  describe('When the repository is starred', () => {
    it('records nothing on a second star', () =>
      spec([starred(7)])
        .when(star(7))
        .then([]));
    it('unstars it', () =>
      spec([starred(7)])
        .when(unstar(7))
        .then([unstarred(7)]));
    it('stars it again after an unstar', () =>
      spec([starred(7), unstarred(7)])
        .when(star(7))
        .then([starred(7)]));
    it('keeps other repositories apart', () =>
      spec([starred(7)])
        .when(star(8))
        .then([starred(8)]));
  });

  describe('When someone else asks', () => {
    it('refuses to star for another user, admins included', () => {
      spec([])
        .when(star(7, meta({ id: 1, username: 'admin', admin: true })))
        .thenThrows('STAR.FORBIDDEN');
    });
    it('refuses an anonymous unstar', () => {
      spec([starred(7)])
        .when(unstar(7, meta(null)))
        .thenThrows('STAR.FORBIDDEN');
    });
  });
});
