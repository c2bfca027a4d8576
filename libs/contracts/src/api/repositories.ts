import { z } from 'zod';
import { description, entity, id, timestamp } from './common';

/** UpdateRepositoryRequest is PUT /api/v1/repositories/:id [Portus 2.5]: only the description changes. */
export const UpdateRepositoryRequest = z
  .object({ repository: z.object({ description: description() }).strict() })
  .strict();
export type UpdateRepositoryRequest = z.infer<typeof UpdateRepositoryRequest>;

/** RepositoryEntity is Portus's API::Entities::Repositories, plus whether the caller starred it. */
export const RepositoryEntity = entity(
  'RepositoryEntity',
  'A repository (Portus’s Repositories entity, plus the pull host and the caller’s star)',
  z.strictObject({
    id: id(),
    name: z.string(),
    full_name: z.string(),
    /** namespace: id and name are null for a repository in a namespace Portcullis does not know. */
    namespace: z.strictObject({ id: id().nullable(), name: z.string().nullable() }),
    registry_id: id(),
    /** registry_hostname is where `docker pull` reaches the registry: its external hostname, else its hostname. */
    registry_hostname: z.string(),
    stars: z.number().int().nonnegative(),
    starred: z.boolean(),
    tags_count: z.number().int().nonnegative(),
    description: z.string(),
    created_at: timestamp(),
    updated_at: timestamp(),
    destroyable: z.boolean(),
  }),
);
export type RepositoryEntity = z.infer<typeof RepositoryEntity>;

/** PlatformEntity is one platform of a multi-platform image index. */
export const PlatformEntity = entity(
  'PlatformEntity',
  'One platform of a multi-platform image index',
  z.strictObject({ os: z.string(), architecture: z.string(), variant: z.string().nullable(), digest: z.string() }),
);
export type PlatformEntity = z.infer<typeof PlatformEntity>;

/** TagEntity is Portus's API::Entities::Tags plus what Portcullis records (media type, platforms, pulls). */
export const TagEntity = entity(
  'TagEntity',
  'A tag: one name pointing at one manifest digest (Portus’s Tags entity, plus media type, platforms, last pull)',
  z.strictObject({
    id: id(),
    name: z.string(),
    repository_id: id(),
    /** author: who pushed it; id is null for registry users Portcullis does not know. */
    author: z.strictObject({ id: id().nullable(), name: z.string() }),
    digest: z.string(),
    image_id: z.string(),
    media_type: z.string(),
    size: z.number().int().nonnegative().nullable(),
    platforms: z.array(PlatformEntity).nullable(),
    /** scanned is Portus's scan state; Portcullis does not scan (always 0). */
    scanned: z.number().int(),
    pushed_at: timestamp(),
    pulled_at: timestamp().nullable(),
    created_at: timestamp(),
    updated_at: timestamp(),
  }),
);
export type TagEntity = z.infer<typeof TagEntity>;

const deletedDigests = z.array(z.strictObject({ digest: z.string(), tags: z.array(z.string()) }));

/** ImageDeletionEntity is DELETE /api/v1/repositories/:id: every digest removed with its tags. */
export const ImageDeletionEntity = entity(
  'ImageDeletionEntity',
  'What a delete removed: each digest with its tags, and whether the repository went too',
  z.strictObject({ digests: deletedDigests, repository_deleted: z.boolean() }),
);
export type ImageDeletionEntity = z.infer<typeof ImageDeletionEntity>;

/** TagDeletionEntity is DELETE /api/v1/tags/:id: ImageDeletionEntity plus every tag name removed. */
export const TagDeletionEntity = entity(
  'TagDeletionEntity',
  'What a tag delete removed: every tag sharing the digest goes too',
  z.strictObject({ digests: deletedDigests, tags: z.array(z.string()), repository_deleted: z.boolean() }),
);
export type TagDeletionEntity = z.infer<typeof TagDeletionEntity>;
