import type { TeamKind } from '@portcullis/domain';
import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import { documentProjection, index } from '../projection';

/** TeamDoc is a team as Portus's API shows it (`teams`, `_id` = String(id)). */
export interface TeamDoc extends Doc {
  id: number;
  name: string;
  description: string;
  kind: TeamKind;
  hidden: boolean;
  created_at: string;
  updated_at: string;
}

const teams = Collections.teams;

/** teamsProjection maintains `teams`. */
export const teamsProjection = documentProjection<TeamDoc>({
  name: 'teams',
  collection: teams,
  indexes: [index(teams, 'name'), index(teams, 'hidden')],
  canHandle: ['TeamCreated', 'TeamRenamed', 'TeamDescriptionChanged'],
  documentId: (event) =>
    event.type === 'TeamCreated' || event.type === 'TeamRenamed' || event.type === 'TeamDescriptionChanged'
      ? String(event.data.id)
      : null,
  evolve(doc, event) {
    switch (event.type) {
      case 'TeamCreated': {
        const d = event.data;
        return {
          _id: String(d.id),
          id: d.id,
          name: d.name,
          description: d.description,
          kind: d.kind,
          hidden: d.hidden,
          created_at: d.at,
          updated_at: d.at,
        };
      }
      case 'TeamRenamed':
        return doc && { ...doc, name: event.data.new, updated_at: event.data.at };
      case 'TeamDescriptionChanged':
        return (
          doc && {
            ...doc,
            description: event.data.new,
            updated_at: event.data.at,
          }
        );
      default:
        return doc;
    }
  },
});
