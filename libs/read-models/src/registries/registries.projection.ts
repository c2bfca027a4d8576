import type { Doc } from '@portcullis/persistence';
import { Collections } from '../collections';
import { documentProjection, index } from '../projection';

/** RegistryDoc is a registry as Portus's API shows it (`registries`, `_id` = String(id)). */
export interface RegistryDoc extends Doc {
  id: number;
  name: string;
  hostname: string;
  external_hostname: string | null;
  use_ssl: boolean;
  created_at: string;
  updated_at: string;
}

const registries = Collections.registries;

/** registriesProjection maintains `registries`. */
export const registriesProjection = documentProjection<RegistryDoc>({
  name: 'registries',
  collection: registries,
  indexes: [index(registries, 'name')],
  canHandle: ['RegistryCreated', 'RegistryUpdated'],
  documentId: (event) =>
    event.type === 'RegistryCreated' || event.type === 'RegistryUpdated' ? String(event.data.id) : null,
  evolve(doc, event) {
    switch (event.type) {
      case 'RegistryCreated': {
        const d = event.data;
        return {
          _id: String(d.id),
          id: d.id,
          name: d.name,
          hostname: d.hostname,
          external_hostname: d.externalHostname,
          use_ssl: d.useSsl,
          created_at: d.at,
          updated_at: d.at,
        };
      }
      case 'RegistryUpdated': {
        if (!doc) return null;
        const { changes, at } = event.data;
        return {
          ...doc,
          ...(changes.name !== undefined && { name: changes.name }),
          ...(changes.hostname !== undefined && { hostname: changes.hostname }),
          ...(changes.useSsl !== undefined && { use_ssl: changes.useSsl }),
          ...(changes.externalHostname !== undefined && {
            external_hostname: changes.externalHostname,
          }),
          updated_at: at,
        };
      }
      default:
        return doc;
    }
  },
});
