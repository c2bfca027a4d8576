import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import { documentProjection, index } from '../projection';

/** RepositoryDoc is a repository (`repositories`, `_id` = String(id)); removed on RepositoryDeleted. */
export interface RepositoryDoc extends Doc {
  id: number;
  /** name is the part after the namespace; full_name is the registry's name. */
  name: string;
  full_name: string;
  /** namespace_id is null for a namespace Portcullis does not know; namespace_name is the path's first part. */
  namespace_id: number | null;
  namespace_name: string | null;
  registry_id: number;
  description: string;
  created_at: string;
  updated_at: string;
}

const repositories = Collections.repositories;

/** repositoriesProjection maintains `repositories`; pushes and deletes touch `updated_at` (Portus). */
export const repositoriesProjection = documentProjection<RepositoryDoc>({
  name: 'repositories',
  collection: repositories,
  indexes: [
    index(repositories, 'namespace_id'),
    index(repositories, 'registry_id'),
    index(repositories, 'full_name'),
    index(repositories, 'name'),
  ],
  canHandle: [
    'RepositoryCreated',
    'ImagePushed',
    'TagDiscovered',
    'TagDeleted',
    'TagVanished',
    'RepositoryDescriptionChanged',
    'RepositoryDeleted',
  ],
  documentId(event) {
    switch (event.type) {
      case 'RepositoryCreated':
      case 'RepositoryDescriptionChanged':
      case 'RepositoryDeleted':
        return String(event.data.id);
      case 'ImagePushed':
      case 'TagDiscovered':
      case 'TagDeleted':
      case 'TagVanished':
        return String(event.data.repositoryId);
      default:
        return null;
    }
  },
  evolve(doc, event) {
    switch (event.type) {
      case 'RepositoryCreated': {
        const d = event.data;
        return {
          _id: String(d.id),
          id: d.id,
          name: d.name,
          full_name: d.fullName,
          namespace_id: d.namespaceId,
          namespace_name: d.namespaceName,
          registry_id: d.registryId,
          description: '',
          created_at: d.at,
          updated_at: d.at,
        };
      }
      case 'ImagePushed':
      case 'TagDiscovered':
      case 'TagDeleted':
      case 'TagVanished':
        return doc && { ...doc, updated_at: event.data.at };
      case 'RepositoryDescriptionChanged':
        return doc && { ...doc, description: event.data.new, updated_at: event.data.at };
      case 'RepositoryDeleted':
        return null;
      default:
        return doc;
    }
  },
});
