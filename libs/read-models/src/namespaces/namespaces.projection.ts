import type { NamespaceKind, Visibility } from '@portcullis/domain';
import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import { documentProjection, index } from '../projection';

/** NamespaceDoc is a namespace (`namespaces`, `_id` = String(id)); removed on NamespaceDeleted. */
export interface NamespaceDoc extends Doc {
  id: number;
  name: string;
  kind: NamespaceKind;
  /** global is Portus's flag, kept beside `kind` for API compatibility. */
  global: boolean;
  registry_id: number;
  team_id: number;
  owner_user_id: number | null;
  description: string;
  visibility: Visibility;
  created_at: string;
  updated_at: string;
}

const namespaces = Collections.namespaces;

/** namespacesProjection maintains `namespaces`. */
export const namespacesProjection = documentProjection<NamespaceDoc>({
  name: 'namespaces',
  collection: namespaces,
  indexes: [index(namespaces, 'name'), index(namespaces, 'team_id'), index(namespaces, 'visibility')],
  canHandle: [
    'NamespaceCreated',
    'NamespaceVisibilityChanged',
    'NamespaceTeamChanged',
    'NamespaceDescriptionChanged',
    'NamespaceRenamed',
    'NamespaceDeleted',
  ],
  documentId: (event) => (event.type.startsWith('Namespace') ? String((event.data as { id: number }).id) : null),
  evolve(doc, event) {
    switch (event.type) {
      case 'NamespaceCreated': {
        const d = event.data;
        return {
          _id: String(d.id),
          id: d.id,
          name: d.name,
          kind: d.kind,
          global: d.kind === 'global',
          registry_id: d.registryId,
          team_id: d.teamId,
          owner_user_id: d.ownerUserId,
          description: d.description,
          visibility: d.visibility,
          created_at: d.at,
          updated_at: d.at,
        };
      }
      case 'NamespaceVisibilityChanged':
        return (
          doc && {
            ...doc,
            visibility: event.data.new,
            updated_at: event.data.at,
          }
        );
      case 'NamespaceTeamChanged':
        return doc && { ...doc, team_id: event.data.new, updated_at: event.data.at };
      case 'NamespaceDescriptionChanged':
        return (
          doc && {
            ...doc,
            description: event.data.new,
            updated_at: event.data.at,
          }
        );
      case 'NamespaceRenamed':
        return doc && { ...doc, name: event.data.new, updated_at: event.data.at };
      case 'NamespaceDeleted':
        return null;
      default:
        return doc;
    }
  },
});
