import { EventLogForTests, projectionSpecification } from '../testing/given.for-tests';
import type { RepositoryDoc } from './repositories.projection';
import { repositoriesProjection } from './repositories.projection';
import { tagsProjection, type TagDoc } from '../tags/tags.projection';

const at = (n: number) => `2030-01-0${n}T00:00:00.000Z`;
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const alice: { userId: number | null; username: string } = { userId: 7, username: 'alice' };

describe('repositories and tags projections', () => {
  let log: EventLogForTests;
  beforeEach(() => (log = new EventLogForTests()));

  const created = () =>
    log.record('RepositoryCreated', {
      id: 3,
      registryId: 1,
      fullName: 'ns/app',
      name: 'app',
      namespaceId: 4,
      namespaceName: 'ns',
      at: at(1),
    });
  const pushed = (tag: string, tagId: number, digest = D1, n = 1, actor = alice) =>
    log.record('ImagePushed', {
      repositoryId: 3,
      fullName: 'ns/app',
      namespaceId: 4,
      tagId,
      tag,
      digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 66494,
      platforms: null,
      imageId: 'e'.repeat(64),
      previousDigest: null,
      actor,
      registryEventId: `ev-${tag}-${n}`,
      at: at(n),
    });
  const repoDoc = (over: Partial<RepositoryDoc> = {}): RepositoryDoc => ({
    _id: '3',
    id: 3,
    name: 'app',
    full_name: 'ns/app',
    namespace_id: 4,
    namespace_name: 'ns',
    registry_id: 1,
    description: '',
    created_at: at(1),
    updated_at: at(1),
    ...over,
  });
  const tagDoc = (over: Partial<TagDoc> = {}): TagDoc => ({
    _id: '10',
    id: 10,
    repository_id: 3,
    name: 'v1',
    digest: D1,
    media_type: 'application/vnd.oci.image.manifest.v1+json',
    size: 66494,
    platforms: null,
    image_id: 'e'.repeat(64),
    author: { id: 7, name: 'alice' },
    pushed_at: at(1),
    pulled_at: null,
    created_at: at(1),
    updated_at: at(1),
    ...over,
  });

  it('creates the repository and touches it on pushes; the description follows', () =>
    projectionSpecification(repositoriesProjection)(created())
      .when(
        pushed('v1', 10, D1, 2),
        log.record('RepositoryDescriptionChanged', { id: 3, old: '', new: 'hello', at: at(3) }),
      )
      .then({ repositories: [repoDoc({ description: 'hello', updated_at: at(3) })] }));

  it('removes the repository when it is deleted', () =>
    projectionSpecification(repositoriesProjection)(created(), pushed('v1', 10))
      .when(
        log.record('RepositoryDeleted', {
          id: 3,
          registryId: 1,
          fullName: 'ns/app',
          namespaceId: 4,
          by: alice,
          at: at(2),
        }),
      )
      .then({ repositories: [] }));

  it('records a tag with digest, size and who pushed it', () =>
    projectionSpecification(tagsProjection)(created())
      .when(pushed('v1', 10))
      .then({ tags: [tagDoc()] }));

  it('moves a re-pushed tag, keeping created_at and pulled_at', () =>
    projectionSpecification(tagsProjection)(created(), pushed('v1', 10))
      .when(
        log.record('RepositoryPulled', { repositoryId: 3, tagId: 10, tag: 'v1', digest: D1, at: at(2) }),
        pushed('v1', 10, D2, 3, { userId: null, username: 'stranger' }),
      )
      .then({
        tags: [
          tagDoc({
            digest: D2,
            author: { id: null, name: 'stranger' },
            pushed_at: at(3),
            pulled_at: at(2),
            updated_at: at(3),
          }),
        ],
      }));

  it('never moves pulled_at backwards', () =>
    projectionSpecification(tagsProjection)(created(), pushed('v1', 10))
      .when(
        log.record('RepositoryPulled', { repositoryId: 3, tagId: 10, tag: 'v1', digest: D1, at: at(5) }),
        log.record('RepositoryPulled', { repositoryId: 3, tagId: 10, tag: 'v1', digest: D1, at: at(4) }),
      )
      .then({ tags: [tagDoc({ pulled_at: at(5) })] }));

  it('removes deleted and vanished tags; discovered tags are by portcullis', () =>
    projectionSpecification(tagsProjection)(created(), pushed('v1', 10))
      .when(
        log.record('TagDeleted', {
          repositoryId: 3,
          fullName: 'ns/app',
          namespaceId: 4,
          tagId: 10,
          tag: 'v1',
          digest: D1,
          by: alice,
          registryEventId: 'd',
          at: at(2),
        }),
        log.record('TagDiscovered', {
          repositoryId: 3,
          fullName: 'ns/app',
          namespaceId: 4,
          tagId: 11,
          tag: 'v2',
          digest: D2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          size: null,
          platforms: [{ os: 'linux', architecture: 'amd64', variant: null, digest: D1 }],
          imageId: null,
          previousDigest: null,
          at: at(3),
        }),
      )
      .then({
        tags: [
          tagDoc({
            _id: '11',
            id: 11,
            name: 'v2',
            digest: D2,
            media_type: 'application/vnd.oci.image.index.v1+json',
            size: null,
            platforms: [{ os: 'linux', architecture: 'amd64', variant: null, digest: D1 }],
            image_id: null,
            author: { id: null, name: 'portcullis' },
            pushed_at: at(3),
            created_at: at(3),
            updated_at: at(3),
          }),
        ],
      }));
});
