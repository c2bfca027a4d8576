import { assertNever } from '../shared/message';
import type { ManifestFacts, RepositoryEvent } from './repository.events';

/** TagState is one tag: the manifest it points at and the registry event that last set it. */
export interface TagState extends ManifestFacts {
  readonly id: number;
  readonly lastEventId: string | null;
  readonly pulledAt: string | null;
}

/** RepositoryState is one repository of one registry, with its tags. */
export interface RepositoryState {
  readonly exists: boolean;
  readonly id: number;
  readonly registryId: number;
  readonly fullName: string;
  readonly namespaceId: number | null;
  readonly description: string;
  readonly tags: Readonly<Record<string, TagState>>;
}

/** repositoryStreamId names the stream of a repository by the registry's name for it. */
export const repositoryStreamId = (registryId: number, fullName: string): string =>
  `repository-${registryId}-${fullName}`;

/** initialRepositoryState is the state of a stream with no events (or after RepositoryDeleted). */
export const initialRepositoryState = (): RepositoryState => ({
  exists: false,
  id: 0,
  registryId: 0,
  fullName: '',
  namespaceId: null,
  description: '',
  tags: {},
});

function withoutTag(tags: Readonly<Record<string, TagState>>, tag: string): Record<string, TagState> {
  const { [tag]: _gone, ...rest } = tags;
  return rest;
}

/** evolveRepository applies one repository event. */
export function evolveRepository(state: RepositoryState, event: RepositoryEvent): RepositoryState {
  switch (event.type) {
    case 'RepositoryCreated': {
      const { id, registryId, fullName, namespaceId } = event.data;
      return { ...initialRepositoryState(), exists: true, id, registryId, fullName, namespaceId };
    }
    case 'ImagePushed':
    case 'TagDiscovered': {
      const d = event.data;
      const tag: TagState = {
        id: d.tagId,
        digest: d.digest,
        mediaType: d.mediaType,
        size: d.size,
        platforms: d.platforms,
        imageId: d.imageId,
        lastEventId: event.type === 'ImagePushed' ? event.data.registryEventId : null,
        pulledAt: state.tags[d.tag]?.pulledAt ?? null,
      };
      return { ...state, tags: { ...state.tags, [d.tag]: tag } };
    }
    case 'TagDeleted':
    case 'TagVanished':
      return { ...state, tags: withoutTag(state.tags, event.data.tag) };
    case 'RepositoryDeleted':
      return initialRepositoryState();
    case 'RepositoryPulled': {
      const tag = state.tags[event.data.tag];
      return tag ? { ...state, tags: { ...state.tags, [event.data.tag]: { ...tag, pulledAt: event.data.at } } } : state;
    }
    case 'RepositoryDescriptionChanged':
      return { ...state, description: event.data.new };
    default:
      return assertNever(event);
  }
}
