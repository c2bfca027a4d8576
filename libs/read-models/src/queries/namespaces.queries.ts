import type { Filter, ReadStore } from '@portcullis/persistence';
import { Collections } from '../collections';
import type { NamespaceDoc } from '../namespaces/namespaces.projection';
import type { Page, PageResult } from './paging';
import { findPage, SortableFields, withAnyOf } from './paging';
import { teamIdsOfUser } from './teams.queries';

/** Viewer is who is asking, for visibility rules; null is anonymous. */
export type Viewer = { readonly id: number; readonly admin: boolean } | null;

const namespaces = (store: ReadStore) => store.collection<NamespaceDoc>(Collections.namespaces);

/** findNamespace returns a namespace by numeric id or by exact name, or null. */
export function findNamespace(store: ReadStore, idOrName: number | string): Promise<NamespaceDoc | null> {
  return typeof idOrName === 'number'
    ? namespaces(store).get(String(idOrName))
    : namespaces(store).findOne({ name: idOrName });
}

/** namespacesOfTeam lists a team's namespaces by id. */
export function namespacesOfTeam(store: ReadStore, teamId: number): Promise<NamespaceDoc[]> {
  return namespaces(store).find({ team_id: teamId }, { sort: [['id', 1]] });
}

/**
 * visibleNamespacesFilter is Portus's NamespacePolicy scope: an admin sees all; a user sees public and
 * protected namespaces plus those of their teams (their personal one included); anonymous sees public.
 */
export async function visibleNamespacesFilter(store: ReadStore, viewer: Viewer): Promise<Filter> {
  if (viewer === null) return { visibility: 'public' };
  if (viewer.admin) return {};
  return withAnyOf({}, [
    { visibility: { $in: ['public', 'protected'] } },
    { team_id: { $in: await teamIdsOfUser(store, viewer.id) } },
  ]);
}

/** listNamespacesVisibleTo pages the namespaces a viewer may see, optionally whose name contains `search`. */
export async function listNamespacesVisibleTo(
  store: ReadStore,
  viewer: Viewer,
  page: Page,
  search?: string,
): Promise<PageResult<NamespaceDoc>> {
  const visible = await visibleNamespacesFilter(store, viewer);
  const filter: Filter = search ? Object.assign({}, visible, { name: { $contains: search } }) : visible;
  return findPage(namespaces(store), filter, page, SortableFields.namespaces);
}
