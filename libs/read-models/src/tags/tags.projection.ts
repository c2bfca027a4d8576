import type { Platform } from '@portcullis/domain';
import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import { documentProjection, index } from '../projection';

/** TagDoc is a tag (`tags`, `_id` = String(id)); removed on TagDeleted/TagVanished. */
export interface TagDoc extends Doc {
  id: number;
  repository_id: number;
  name: string;
  digest: string;
  media_type: string;
  /** size: config + layers; null for indexes and when unknown. */
  size: number | null;
  platforms: Platform[] | null;
  /** image_id is Portus's: the config digest without `sha256:`. */
  image_id: string | null;
  /** author is who last pushed the tag (id null when the registry's user is unknown to Portcullis). */
  author: { id: number | null; name: string };
  pushed_at: string;
  pulled_at: string | null;
  created_at: string;
  updated_at: string;
}

const tags = Collections.tags;

/** tagsProjection maintains `tags`. RepositoryPulled only ever moves `pulled_at` forward (max). */
export const tagsProjection = documentProjection<TagDoc>({
  name: 'tags',
  collection: tags,
  indexes: [index(tags, 'repository_id'), index(tags, 'digest'), index(tags, 'name')],
  canHandle: ['ImagePushed', 'TagDiscovered', 'TagDeleted', 'TagVanished', 'RepositoryPulled'],
  documentId(event) {
    switch (event.type) {
      case 'ImagePushed':
      case 'TagDiscovered':
      case 'TagDeleted':
      case 'TagVanished':
      case 'RepositoryPulled':
        return String(event.data.tagId);
      default:
        return null;
    }
  },
  evolve(doc, event) {
    switch (event.type) {
      case 'ImagePushed':
      case 'TagDiscovered': {
        const d = event.data;
        const author =
          event.type === 'ImagePushed'
            ? { id: event.data.actor.userId, name: event.data.actor.username }
            : (doc?.author ?? { id: null, name: 'portcullis' });
        return {
          _id: String(d.tagId),
          id: d.tagId,
          repository_id: d.repositoryId,
          name: d.tag,
          digest: d.digest,
          media_type: d.mediaType,
          size: d.size,
          platforms: d.platforms === null ? null : [...d.platforms],
          image_id: d.imageId,
          author,
          pushed_at: d.at,
          pulled_at: doc?.pulled_at ?? null,
          created_at: doc?.created_at ?? d.at,
          updated_at: d.at,
        };
      }
      case 'TagDeleted':
      case 'TagVanished':
        return null;
      case 'RepositoryPulled': {
        if (!doc || (doc.pulled_at !== null && doc.pulled_at >= event.data.at)) return doc;
        return { ...doc, pulled_at: event.data.at };
      }
      default:
        return doc;
    }
  },
});
