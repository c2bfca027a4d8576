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
  /**
   * recentRegistryEventIds are the registry notification ids of the last REGISTRY_EVENT_WINDOW events that
   * carried one (pushes and tag deletes), oldest first. They survive RepositoryDeleted: a late retry of a push
   * to a repository deleted since must not bring it back (ADR 0016).
   */
  readonly recentRegistryEventIds: readonly string[];
}

/**
 * REGISTRY_EVENT_WINDOW is how many registry event ids a repository remembers for dedupe. A registry retries one
 * endpoint's events in order (single flight), so a duplicate follows its original closely: the window only has
 * to outlast what other registry instances push to the same repository meanwhile.
 */
export const REGISTRY_EVENT_WINDOW = 64;

/** seenRegistryEvent is true when this repository already recorded the registry event `id` (a redelivery). */
export const seenRegistryEvent = (state: RepositoryState, id: string | null): boolean =>
  id !== null && state.recentRegistryEventIds.includes(id);

function remember(ids: readonly string[], id: string | null): readonly string[] {
  if (id === null || ids[ids.length - 1] === id) return ids;
  const next = ids.length >= REGISTRY_EVENT_WINDOW ? ids.slice(ids.length - REGISTRY_EVENT_WINDOW + 1) : [...ids];
  next.push(id);
  return next;
}

/** repositoryStreamId names the stream of a repository by the registry's name for it. */
export const repositoryStreamId = (registryId: number, fullName: string): string =>
  `repository-${registryId}-${fullName}`;

/** initialRepositoryState is the state of a stream with no events (after RepositoryDeleted: but for its event ids). */
export const initialRepositoryState = (): RepositoryState => ({
  exists: false,
  id: 0,
  registryId: 0,
  fullName: '',
  namespaceId: null,
  description: '',
  tags: {},
  recentRegistryEventIds: [],
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
      const recentRegistryEventIds = state.recentRegistryEventIds;
      return {
        ...initialRepositoryState(),
        exists: true,
        id,
        registryId,
        fullName,
        namespaceId,
        recentRegistryEventIds,
      };
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
      const recentRegistryEventIds =
        event.type === 'ImagePushed'
          ? remember(state.recentRegistryEventIds, event.data.registryEventId)
          : state.recentRegistryEventIds;
      return { ...state, tags: { ...state.tags, [d.tag]: tag }, recentRegistryEventIds };
    }
    case 'TagDeleted':
      return {
        ...state,
        tags: withoutTag(state.tags, event.data.tag),
        recentRegistryEventIds: remember(state.recentRegistryEventIds, event.data.registryEventId),
      };
    case 'TagVanished':
      return { ...state, tags: withoutTag(state.tags, event.data.tag) };
    case 'RepositoryDeleted':
      return { ...initialRepositoryState(), recentRegistryEventIds: state.recentRegistryEventIds };
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
