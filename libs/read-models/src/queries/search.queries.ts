import type { SearchHit, SearchType } from '@portcullis/contracts';
import type { Filter, ReadStore } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { NamespaceDoc } from '../namespaces/namespaces.projection';
import type { RegistryDoc } from '../registries/registries.projection';
import type { RepositoryDoc } from '../repositories/repositories.projection';
import type { TeamDoc } from '../teams/teams.projection';
import type { Viewer } from './namespaces.queries';
import { visibleNamespacesFilter } from './namespaces.queries';
import { withAnyOf } from './paging';
import { teamIdsOfUser } from './teams.queries';

/** SearchType (what a search looks through) and SearchHit (one result) are the API's, in libs/contracts. */
export type { SearchHit, SearchType };

/** SEARCH_TYPES is every SearchType, in the order a search over all of them lists its hits. */
export const SEARCH_TYPES: readonly SearchType[] = ['namespaces', 'repositories', 'teams'];

/**
 * visibleRepositoriesFilter is who may pull (Portus's RepositoryPolicy scope): an admin sees all; a user the
 * repositories of public and protected namespaces and of their teams'; anonymous those of public namespaces.
 * Repositories in namespaces Portcullis does not know are an admin's only.
 */
export async function visibleRepositoriesFilter(store: ReadStore, viewer: Viewer): Promise<Filter> {
  if (viewer?.admin) return {};
  if (viewer === null) return namespaceIdsWhere(store, [{ visibility: 'public' }]);
  return namespaceIdsWhere(store, [
    { visibility: { $in: ['public', 'protected'] } },
    { team_id: { $in: await teamIdsOfUser(store, viewer.id) } },
  ]);
}

async function namespaceIdsWhere(store: ReadStore, scope: Filter[]): Promise<Filter> {
  const namespaces = await store.collection<NamespaceDoc>(Collections.namespaces).find(withAnyOf({}, scope));
  return { namespace_id: { $in: namespaces.map((n) => n.id) } };
}

/** visibleTeamsFilter: an admin sees every non-hidden team, a user their own, anonymous none. */
async function visibleTeamsFilter(store: ReadStore, viewer: Viewer): Promise<Filter> {
  if (viewer === null) return { id: { $in: [] } };
  if (viewer.admin) return { hidden: false };
  return { hidden: false, id: { $in: await teamIdsOfUser(store, viewer.id) } };
}

interface Source {
  collection: string;
  filter: Filter;
  sortField: string;
  hit(doc: Record<string, unknown>): SearchHit;
}

async function sourceFor(store: ReadStore, viewer: Viewer, type: SearchType, text: string): Promise<Source> {
  switch (type) {
    case 'repositories': {
      // A handful of registries at most: one read serves every hit's hostname.
      const registries = await store.collection<RegistryDoc>(Collections.registries).find({});
      const hostOf = new Map(registries.map((g) => [g.id, g.external_hostname || g.hostname]));
      return {
        collection: Collections.repositories,
        filter: { ...(await visibleRepositoriesFilter(store, viewer)), full_name: { $contains: text } },
        sortField: 'full_name',
        hit: (d) => {
          const r = d as RepositoryDoc;
          return {
            type,
            id: r.id,
            name: r.name,
            full_name: r.full_name,
            description: r.description ?? '',
            registry_hostname: hostOf.get(r.registry_id) ?? '',
          };
        },
      };
    }
    case 'namespaces': {
      // visibleNamespacesFilter may carry an $or: the name condition goes beside it, on its own field.
      const visible = await visibleNamespacesFilter(store, viewer);
      return {
        collection: Collections.namespaces,
        filter: { ...visible, name: { $contains: text } },
        sortField: 'name',
        hit: (d) => {
          const n = d as NamespaceDoc;
          return { type, id: n.id, name: n.name, full_name: n.name, description: n.description ?? '' };
        },
      };
    }
    case 'teams':
      return {
        collection: Collections.teams,
        filter: { ...(await visibleTeamsFilter(store, viewer)), name: { $contains: text } },
        sortField: 'name',
        hit: (d) => {
          const t = d as TeamDoc;
          return { type, id: t.id, name: t.name, full_name: t.name, description: t.description ?? '' };
        },
      };
  }
}

/**
 * search finds what the viewer may see whose name contains `text` (case-insensitively), by name. Over several
 * types the hits are listed type after type (SEARCH_TYPES order) and one page may span two types: each type is
 * counted, then only the rows of the requested window are read.
 */
export async function search(
  store: ReadStore,
  viewer: Viewer,
  text: string,
  types: readonly SearchType[],
  page: { page: number; perPage: number },
): Promise<{ items: SearchHit[]; total: number }> {
  const sources = await Promise.all(types.map((t) => sourceFor(store, viewer, t, text)));
  const counts = await Promise.all(sources.map((s) => store.collection(s.collection).count(s.filter)));
  let offset = (Math.max(1, page.page) - 1) * page.perPage;
  let wanted = page.perPage;
  const items: SearchHit[] = [];
  for (const [i, source] of sources.entries()) {
    if (wanted === 0) break;
    if (offset >= counts[i]) {
      offset -= counts[i];
      continue;
    }
    const docs = await store.collection(source.collection).find(source.filter, {
      sort: [
        [source.sortField, 1],
        ['id', 1],
      ],
      skip: offset,
      limit: wanted,
    });
    items.push(...docs.map((d) => source.hit(d)));
    wanted -= docs.length;
    offset = 0;
  }
  return { items, total: counts.reduce((a, b) => a + b, 0) };
}
