import type { Filter, ReadStore } from '@portcullis/persistence';
import type { ActivityDoc, TrackableType } from '../activities/activities.projection';
import { Collections } from '../collections';
import type { NamespaceDoc } from '../namespaces/namespaces.projection';
import type { Page, PageResult } from './paging';
import { allOf, findPage, SortableFields, withAnyOf } from './paging';
import { teamIdsOfUser } from './teams.queries';

/** ActivityFilters narrows listActivities; every given filter must hold. */
export interface ActivityFilters {
  /** ownerId: activities this user did. */
  ownerId?: number;
  /** ownerName: activities whose recorded actor had this name (users since deleted, registry-only actors). */
  ownerName?: string;
  /** keyPrefix: `team.` or `namespace.change_` or a whole key. */
  keyPrefix?: string;
  namespaceId?: number;
  teamId?: number;
  trackableType?: TrackableType;
  /** from (inclusive) and to (exclusive) bound `created_at`, ISO 8601. */
  from?: string;
  to?: string;
  /** includeHidden also returns activities of hidden teams (admin views); default false. */
  includeHidden?: boolean;
  /** visibleTo limits the log to what one non-admin user may see (see activityVisibilityFor); absent = all. */
  visibleTo?: ActivityVisibility;
}

/**
 * ActivityVisibility is what a non-admin may see of the audit log: their own activities, those of the teams
 * they belong to, and namespace and repository activities of the namespaces they can see.
 */
export interface ActivityVisibility {
  userId: number;
  /** teamIds: the user's teams, hidden (personal) ones included. */
  teamIds: number[];
  /** namespaceIds: public and protected namespaces, and those of the user's teams. */
  namespaceIds: number[];
}

/**
 * activityVisibilityFor computes a user's ActivityVisibility from the read models. Visibility is decided at
 * read time, so a namespace turned private hides its history from outsiders at once.
 */
export async function activityVisibilityFor(store: ReadStore, userId: number): Promise<ActivityVisibility> {
  const teamIds = await teamIdsOfUser(store, userId);
  const namespaces = await store
    .collection<NamespaceDoc>(Collections.namespaces)
    .find(withAnyOf({}, [{ visibility: { $in: ['public', 'protected'] } }, { team_id: { $in: teamIds } }]));
  return { userId, teamIds, namespaceIds: namespaces.map((n) => n.id) };
}

/** visibilityFilter is ActivityVisibility as alternatives: any one of them shows an activity. */
function visibilityFilter(v: ActivityVisibility): Filter {
  return withAnyOf({}, [
    { owner_id: v.userId },
    { team_id: { $in: v.teamIds } },
    // Webhook activities name receiver URLs and headers: they belong to the namespace's team, not its readers.
    { namespace_id: { $in: v.namespaceIds }, trackable_type: { $ne: 'Webhook' } },
  ]);
}

/** activitiesFilter translates ActivityFilters into a read-store Filter. */
export function activitiesFilter(filters: ActivityFilters): Filter {
  const f: Filter = {};
  // A non-admin never sees hidden activities, whatever includeHidden says.
  if (!filters.includeHidden || filters.visibleTo) f['hidden'] = false;
  if (filters.ownerId !== undefined) f['owner_id'] = filters.ownerId;
  if (filters.ownerName !== undefined) f['owner_name'] = filters.ownerName;
  if (filters.namespaceId !== undefined) f['namespace_id'] = filters.namespaceId;
  if (filters.teamId !== undefined) f['team_id'] = filters.teamId;
  if (filters.trackableType !== undefined) f['trackable_type'] = filters.trackableType;
  if (filters.from !== undefined) f['created_at'] = { $gte: filters.from };
  const upper: Filter = {};
  if (filters.to !== undefined) upper['created_at'] = { $lt: filters.to };
  if (filters.keyPrefix) {
    // A prefix is a range: keys are ASCII, and U+FFFF sorts after any of them byte-wise (SQLite and MongoDB).
    f['key'] = { $gte: filters.keyPrefix };
    upper['key'] = { $lt: `${filters.keyPrefix}\uffff` };
  }
  // The port allows one condition per field: the upper bounds and the visibility nest in their own nodes.
  return allOf(f, upper, filters.visibleTo ? visibilityFilter(filters.visibleTo) : {});
}

/** listActivities pages the audit log, newest first unless the page says otherwise. */
export function listActivities(
  store: ReadStore,
  filters: ActivityFilters,
  page: Page,
): Promise<PageResult<ActivityDoc>> {
  return findPage(
    store.collection<ActivityDoc>(Collections.activities),
    activitiesFilter(filters),
    page,
    SortableFields.activities,
    -1,
  );
}

/**
 * exportActivities yields the matching activities newest first, `batch` at a time, at most `max` in all.
 * It pages by id (keyset) rather than by offset, so activities recorded during a long export neither shift
 * rows between batches nor make the export repeat one.
 */
export async function* exportActivities(
  store: ReadStore,
  filters: ActivityFilters,
  max: number,
  batch = 500,
): AsyncGenerator<ActivityDoc[]> {
  const col = store.collection<ActivityDoc>(Collections.activities);
  const base = activitiesFilter(filters);
  let before: number | null = null;
  let sent = 0;
  while (sent < max) {
    const filter = before === null ? base : allOf({ id: { $lt: before } }, base);
    const rows = await col.find(filter, { sort: [['id', -1]], limit: Math.min(batch, max - sent) });
    if (rows.length === 0) return;
    yield rows;
    sent += rows.length;
    before = rows[rows.length - 1].id;
  }
}

/** countActivities counts the matching activities (for an export's X-Total). */
export function countActivities(store: ReadStore, filters: ActivityFilters): Promise<number> {
  return store.collection<ActivityDoc>(Collections.activities).count(activitiesFilter(filters));
}
