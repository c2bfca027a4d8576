import type { Collection, Doc, Filter, SortSpec } from '@portcullis/persistence';

/** Page asks for one page of a list, as Portus's API does (`page`, `per_page`, `sort_attr`, `sort_order`). */
export interface Page {
  /** page is 1-based; values below 1 read as 1. */
  page: number;
  perPage: number;
  sortAttr?: string;
  /** sortOrder: `asc`, anything else is descending (Portus); omitted means the list's default. */
  sortOrder?: string;
  /** all turns paging off (Portus's `all=true`). */
  all?: boolean;
}

/** PageResult is one page of items plus the total across all pages (for `X-Total`). */
export interface PageResult<T> {
  items: T[];
  total: number;
}

/** DEFAULT_PAGE is Portus's default: page 1, 15 per page, by id. */
export const DEFAULT_PAGE: Page = { page: 1, perPage: 15 };

/** SortableFields lists, per collection, the fields a client may sort on; anything else sorts by id. */
export const SortableFields = {
  users: ['id', 'username', 'email', 'display_name', 'admin', 'enabled', 'bot', 'created_at', 'updated_at'],
  teams: ['id', 'name', 'description', 'created_at', 'updated_at'],
  namespaces: ['id', 'name', 'description', 'visibility', 'created_at', 'updated_at'],
  registries: ['id', 'name', 'hostname', 'created_at', 'updated_at'],
  activities: ['id', 'key', 'owner_name', 'created_at'],
} as const;

/** sortFor validates a Page's sort against an allow-list: unknown attributes fall back to `id` (Portus). */
export function sortFor(
  page: Pick<Page, 'sortAttr' | 'sortOrder'>,
  allowed: readonly string[],
  defaultDirection: 1 | -1 = 1,
): SortSpec {
  const attr = page.sortAttr && allowed.includes(page.sortAttr) ? page.sortAttr : 'id';
  const direction = page.sortOrder === undefined ? defaultDirection : page.sortOrder === 'asc' ? 1 : -1;
  // id breaks ties so pages never overlap when many rows share the sort value.
  return attr === 'id'
    ? [['id', direction]]
    : [
        [attr, direction],
        ['id', direction],
      ];
}

/** findPage runs one paged query and its count. */
export async function findPage<T extends Doc>(
  collection: Collection<T>,
  filter: Filter,
  page: Page,
  allowed: readonly string[],
  defaultDirection: 1 | -1 = 1,
): Promise<PageResult<T>> {
  const sort = sortFor(page, allowed, defaultDirection);
  const perPage = Math.max(1, Math.floor(page.perPage) || DEFAULT_PAGE.perPage);
  const number = Math.max(1, Math.floor(page.page) || 1);
  const [items, total] = await Promise.all([
    collection.find(filter, page.all ? { sort } : { sort, skip: (number - 1) * perPage, limit: perPage }),
    collection.count(filter),
  ]);
  return { items, total };
}

/**
 * withAnyOf adds `$or: alternatives` to a filter. NOTE: the port's Filter type intersects `$or` with the
 * field index signature, which no object literal satisfies, so the cast lives here, once.
 */
export function withAnyOf(filter: Filter, alternatives: Filter[]): Filter {
  return { ...filter, $or: alternatives } as unknown as Filter;
}

/**
 * allOf is the conjunction of filters. A filter node holds one `$or`, so each filter's fields stay in their
 * own node (no clash when two filters bound the same field) and the rest nests under its `$or`; when a filter
 * has alternatives of its own, the rest is distributed into each of them.
 */
export function allOf(...filters: Filter[]): Filter {
  const [first, ...rest] = filters.filter((f) => Object.keys(f).length > 0);
  if (first === undefined) return {};
  if (rest.length === 0) return first;
  const tail = allOf(...rest);
  const { $or, ...fields } = first;
  return $or
    ? withAnyOf(
        fields,
        $or.map((alt) => allOf(alt, tail)),
      )
    : withAnyOf(fields, [tail]);
}
