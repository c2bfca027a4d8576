import type { NamespaceEntity } from '@portcullis/contracts';
import type { Doc } from '@portcullis/persistence';

type D = Doc & Record<string, unknown>;

/** toNamespaceEntity renders Portus's Namespaces entity; the global namespace shows the registry's hostname. */
export function toNamespaceEntity(ns: D, team: D | null, registry?: D | null): NamespaceEntity {
  const global = ns['kind'] === 'global';
  return {
    id: ns['id'] as number,
    name:
      global && registry
        ? ((registry['external_hostname'] as string | null) ?? (registry['hostname'] as string))
        : (ns['name'] as string),
    created_at: ns['created_at'] as string,
    updated_at: ns['updated_at'] as string,
    description: (ns['description'] as string) ?? '',
    team: team ? { id: team['id'] as number, name: team['name'] as string, hidden: team['hidden'] === true } : null,
    visibility: ns['visibility'] as NamespaceEntity['visibility'],
    global,
  };
}
