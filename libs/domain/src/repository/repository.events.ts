import type { DomainEvent } from '../shared/message';

// Stream: repository-<registryId>-<full name> (e.g. `repository-1-ns/app`). A repository is named by the
// registry, so its stream is too; the numeric id Portus's API shows is allocated by the handler and
// carried in RepositoryCreated. A deleted repository pushed again gets a new id in the same stream.

/** Pusher is who pushed or deleted, as the registry named them (`actor.name` = JWT `sub`). */
export interface RegistryActor {
  /** userId is the Portcullis user of that name when one exists; unknown names are kept, not dropped. */
  readonly userId: number | null;
  /** username is the registry's `actor.name`; '' for anonymous. */
  readonly username: string;
}

/** Platform is one entry of a multi-platform index (Docker manifest list, OCI index). */
export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant: string | null;
  readonly digest: string;
}

/** ManifestFacts is what Portcullis knows about a tag's manifest. */
export interface ManifestFacts {
  readonly digest: string;
  readonly mediaType: string;
  /** size: config + layers for an image; null for an index (see docs/decisions/0004) or when unknown. */
  readonly size: number | null;
  /** platforms: the index's platforms; null for single-platform images. */
  readonly platforms: readonly Platform[] | null;
  /** imageId is Portus's image_id: the config digest without `sha256:`; null for indexes. */
  readonly imageId: string | null;
}

export type RepositoryCreated = DomainEvent<
  'RepositoryCreated',
  {
    id: number;
    registryId: number;
    fullName: string;
    /** name is the part after the namespace (`b/c` for `a/b/c`). */
    name: string;
    /** namespaceId is null when no Portcullis namespace has that name (recorded, not dropped). */
    namespaceId: number | null;
    namespaceName: string | null;
    at: string;
  }
>;
export type ImagePushed = DomainEvent<
  'ImagePushed',
  ManifestFacts & {
    repositoryId: number;
    fullName: string;
    namespaceId: number | null;
    tagId: number;
    tag: string;
    /** previousDigest is the digest the tag pointed at before, null for a new tag. */
    previousDigest: string | null;
    actor: RegistryActor;
    registryEventId: string | null;
    at: string;
  }
>;
export type TagDeleted = DomainEvent<
  'TagDeleted',
  {
    repositoryId: number;
    fullName: string;
    namespaceId: number | null;
    tagId: number;
    tag: string;
    digest: string;
    by: RegistryActor;
    registryEventId: string | null;
    at: string;
  }
>;
export type RepositoryDeleted = DomainEvent<
  'RepositoryDeleted',
  { id: number; registryId: number; fullName: string; namespaceId: number | null; by: RegistryActor; at: string }
>;
/** TagDiscovered compensates a push Portcullis never heard of (catalog reconcile); history is not rewritten. */
export type TagDiscovered = DomainEvent<
  'TagDiscovered',
  ManifestFacts & {
    repositoryId: number;
    fullName: string;
    namespaceId: number | null;
    tagId: number;
    tag: string;
    previousDigest: string | null;
    at: string;
  }
>;
/** TagVanished compensates a delete Portcullis never heard of (catalog reconcile). */
export type TagVanished = DomainEvent<
  'TagVanished',
  {
    repositoryId: number;
    fullName: string;
    namespaceId: number | null;
    tagId: number;
    tag: string;
    digest: string;
    at: string;
  }
>;
/** RepositoryPulled is a coalesced last-pulled mark: at most one per tag per flush interval. */
export type RepositoryPulled = DomainEvent<
  'RepositoryPulled',
  { repositoryId: number; tagId: number; tag: string; digest: string; at: string }
>;
export type RepositoryDescriptionChanged = DomainEvent<
  'RepositoryDescriptionChanged',
  { id: number; old: string; new: string; at: string }
>;

export type RepositoryEvent =
  | RepositoryCreated
  | ImagePushed
  | TagDeleted
  | RepositoryDeleted
  | TagDiscovered
  | TagVanished
  | RepositoryPulled
  | RepositoryDescriptionChanged;
