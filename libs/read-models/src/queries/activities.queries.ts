import type { Filter, ReadStore } from '@portcullis/persistence';
import type { ActivityDoc, TrackableType } from '../activities/activities.projection';
import { Collections } from '../collections';
import type { Page, PageResult } from './paging';
import { findPage, SortableFields, withAnyOf } from './paging';

/** ActivityFilters narrows listActivities; every given filter must hold. */
export interface ActivityFilters {
  /** ownerId: activities this user did. */
  ownerId?: number;
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
}

/** activitiesFilter translates ActivityFilters into a read-store Filter. */
export function activitiesFilter(filters: ActivityFilters): Filter {
  const f: Filter = {};
  if (!filters.includeHidden) f['hidden'] = false;
  if (filters.ownerId !== undefined) f['owner_id'] = filters.ownerId;
  if (filters.namespaceId !== undefined) f['namespace_id'] = filters.namespaceId;
  if (filters.teamId !== undefined) f['team_id'] = filters.teamId;
  if (filters.trackableType !== undefined) f['trackable_type'] = filters.trackableType;
  if (filters.from !== undefined) f['created_at'] = { $gte: filters.from };
  const upper: Filter[] = [];
  if (filters.to !== undefined) upper.push({ created_at: { $lt: filters.to } });
  if (filters.keyPrefix) {
    // A prefix is a range: keys are ASCII, and U+FFFF sorts after any of them byte-wise (SQLite and MongoDB).
    f['key'] = { $gte: filters.keyPrefix };
    upper.push({ key: { $lt: `${filters.keyPrefix}\uffff` } });
  }
  // The port allows one condition per field; a one-element $or carries the second bound as a conjunction.
  return upper.length > 0 ? withAnyOf(f, [Object.assign({}, ...upper)]) : f;
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
